export { createWorkOrderConfigCache, type WorkOrderConfigCache } from './tickets.config.ts';
export { ticketsRoutes } from './tickets.routes.ts';
export { createTicketsService, type TicketsService } from './tickets.service.ts';
export { type SweepResult, sweepSla } from './tickets.sla-sweeper.ts';
export { createTicketOperations, type TicketOperations } from './tickets.operations.ts';
export { ticketOperationsRoutes } from './tickets.operations.routes.ts';
export { createWorkOrderSettings, workOrderSettingsRoutes } from './tickets.settings.ts';
export { createTicketAttachments, ticketAttachmentsRoutes } from './tickets.attachments.ts';
