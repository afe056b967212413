export * from './accounts';
export * from './companies';
export * from './documents';
export * from './einvoicing';
export * from './invoicing';
export * from './payments';
export * from './pos';
export * from './snapshot';
