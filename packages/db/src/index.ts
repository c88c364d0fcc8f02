export { type Database, type DatabaseKind, type DatabaseOptions, migrateToLatest, openDatabase } from './database.ts';
export type * from './schema.ts';
export type * from './schema-work-orders.ts';
export type * from './schema-contacts.ts';
export type * from './schema-knowledge.ts';
export type * from './schema-channels.ts';
