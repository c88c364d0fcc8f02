export { scriptsRoutes } from './scripts.routes.ts';
export { createScriptsService, type ScriptsService, toScriptDto } from './scripts.service.ts';
export { scriptSearchColumns, toScriptPinyin } from './scripts.search.ts';
