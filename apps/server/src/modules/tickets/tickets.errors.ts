import { AppError } from '../../platform/errors.ts';

export const ticketNotFound = (id: string) => new AppError('resource.not_found', 'Work order not found', { entity: 'ticket', id });
export const transitionRefused = (action: string, status: string, reason: string) =>
  new AppError('ticket.transition_refused', `Cannot ${action} a work order that is ${status} (${reason})`, { action, status, reason });
export const versionConflict = (expected: number, actual: number) =>
  new AppError('ticket.version_conflict', 'The work order changed since you loaded it; reload and try again', { expected, actual });
