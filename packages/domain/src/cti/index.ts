export * from './call-events.ts';
export * from './ivr.ts';
