export * from './participant';
export * from './smp-xml';
