export * from './accounts';
export * from './bookkeeping';
export * from './companies';
export * from './documents';
export * from './einvoicing';
export * from './invoicing';
export * from './payments';
export * from './snapshot';
