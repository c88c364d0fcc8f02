export { assistRoutes } from './assist.routes.ts';
export { type AssistService, createAssistService } from './assist.service.ts';
