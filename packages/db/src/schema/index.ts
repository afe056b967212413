export * from './accounts';
export * from './companies';
export * from './invoicing';
export * from './egs';
export * from './payments';
