export * from './open-db';
export * as schema from './schema/index';
export * from './sql-executor';
