import { AppError } from '../../platform/errors.ts';

export const contactNotFound = (id: string) => new AppError('resource.not_found', 'Contact not found', { entity: 'contact', id });
export const conversationNotFound = (id: string) => new AppError('resource.not_found', 'Conversation not found', { entity: 'conversation', id });
export const actionRefused = (action: string, status: string, reason: string) =>
  new AppError('contact.action_refused', `Cannot ${action} a contact that is ${status} (${reason})`, { action, status, reason });
export const contactVersionConflict = (expected: number, actual: number) =>
  new AppError('contact.version_conflict', 'The contact changed since you loaded it; reload and try again', { expected, actual });
