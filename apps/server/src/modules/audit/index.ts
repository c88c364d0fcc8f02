export { auditRoutes, createAuditQueries } from './audit.routes.ts';
