export * from './accounts';
export * from './companies';
