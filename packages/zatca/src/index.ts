export * from './invoice-hash';
export * from './keys';
export * from './qr';
export * from './signature';
export * from './signed-invoice';
export * from './types';
export * from './xml-builder';
