export * from './evaluation.ts';
export * from './features.ts';
export * from './text-classifier.ts';
