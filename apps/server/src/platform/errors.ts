/**
 * The error catalogue: every code the API can answer with and its HTTP status.
 * docs/errors.md lists the same codes; a test keeps both in sync.
 */
export const ERROR_STATUS = {
  'validation.failed': 400,
  'request.malformed': 400,
  'request.too_large': 413,
  'request.unsupported_media_type': 415,
  'auth.unauthenticated': 401,
  'auth.invalid_credentials': 401,
  'auth.session_expired': 401,
  'auth.invalid_token': 401,
  'auth.user_disabled': 403,
  'auth.forbidden': 403,
  'auth.throttled': 429,
  'auth.weak_password': 422,
  'resource.not_found': 404,
  'route.not_found': 404,
  'rate_limited': 429,
  'customer.duplicate_identity': 409,
  'customer.unknown_area': 422,
  'customer.unknown_attribute': 422,
  'customer.invalid_attribute': 422,
  'customer.last_identity': 409,
  'import.unreadable_file': 422,
  'import.too_many_rows': 413,
  'user.username_taken': 409,
  'user.unknown_role': 422,
  'user.cannot_disable_self': 409,
  'role.builtin_admin_locked': 409,
  'token.unknown_scope': 422,
  'ticket.transition_refused': 409,
  'ticket.version_conflict': 409,
  'ticket.invalid_category': 422,
  'ticket.invalid_fields': 422,
  'ticket.no_dispatch_target': 422,
  'ticket.unknown_department': 422,
  'ticket.choose_order_to_urge': 409,
  'ticket.merge_refused': 409,
  'ticket.split_refused': 409,
  'ticket.escalation_refused': 409,
  'incident.refused': 409,
  'contact.action_refused': 409,
  'contact.version_conflict': 409,
  'contact.unknown_reason_code': 422,
  'contact.unknown_target': 422,
  'presence.refused': 409,
  'conversation.closed': 409,
  'widget.channel_unavailable': 404,
  'widget.invalid_identity': 401,
  'widget.invalid_visitor': 401,
  'routing.code_taken': 409,
  'classify.insufficient_data': 422,
  'scripts.shortcut_taken': 409,
  'scripts.unknown_variables': 400,
  'scripts.version_conflict': 409,
  'kb.version_conflict': 409,
  'kb.transition_refused': 409,
  'kb.note_required': 422,
  'kb.publish_required': 403,
  'kb.edit_refused': 409,
  'kb.unknown_category': 422,
  'kb.unknown_related': 422,
  'kb.invalid_validity': 422,
  'kb.unknown_version': 404,
  'kb.category_code_taken': 409,
  'kb.category_cycle': 422,
  'bot.unknown_article': 422,
  'bot.article_not_public': 422,
  'bot.channel_unsupported': 422,
  'attachment.too_large': 413,
  'attachment.type_not_allowed': 415,
  'internal': 500,
  'service.unavailable': 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}
