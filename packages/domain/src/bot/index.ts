export * from './decide.ts';
export * from './flows.ts';
export * from './intents.ts';
export * from './sentiment.ts';
export * from './text.ts';
export * from './texts.ts';
