export * from './auth.ts';
export * from './common.ts';
export * from './customers.ts';
export * from './users.ts';
export * from './tickets.ts';
export * from './contacts.ts';
