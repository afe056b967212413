export * from './accounts';
export * from './companies';
export * from './documents';
export * from './einvoicing';
export * from './integrity';
export * from './invoicing';
export * from './payments';
export * from './snapshot';
