export * from './accounts';
export * from './companies';
export * from './documents';
export * from './egs';
export * from './invoicing';
export * from './payments';
