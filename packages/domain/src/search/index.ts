export * from './highlight.ts';
export * from './pinyin-initials.ts';
export * from './query-plan.ts';
export * from './scoring.ts';
export * from './typo.ts';
