import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError } from './errors.ts';

function send(reply: FastifyReply, request: FastifyRequest, status: number, code: string, message: string, details?: unknown) {
  return reply.code(status).send({ error: { code, message, ...(details ? { details } : {}), requestId: request.id } });
}

/** One error shape for every failure; stacks and internals never reach the client. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) {
      if (error.code === 'auth.throttled' && typeof error.details?.retryAfterSeconds === 'number') {
        reply.header('retry-after', String(error.details.retryAfterSeconds));
      }
      return send(reply, request, error.status, error.code, error.message, error.details);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation.map((v) => ({
        path: `${error.validationContext ?? 'body'}${v.instancePath.replaceAll('/', '.')}`,
        message: v.message,
        ...(v.params && 'issue' in v.params ? { code: (v.params.issue as { code?: string }).code } : {}),
      }));
      return send(reply, request, 400, 'validation.failed', 'The request is invalid', { issues });
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error, url: request.url }, 'response did not match its schema');
      if (process.env.KEFU_DEBUG_ERRORS) console.error('SCHEMA', error);
      return send(reply, request, 500, 'internal', 'Internal error');
    }
    const status = error.statusCode ?? 500;
    if (status === 413 || error.code === 'FST_REQ_FILE_TOO_LARGE') return send(reply, request, 413, 'request.too_large', 'The request is too large');
    if (status === 415) return send(reply, request, 415, 'request.unsupported_media_type', 'Unsupported content type');
    if (status === 429) return send(reply, request, 429, 'rate_limited', 'Too many requests');
    if (status >= 400 && status < 500) return send(reply, request, 400, 'request.malformed', error.message.replace(/^FST_\w+: /, '').slice(0, 200));
    request.log.error({ err: error }, 'unhandled error');
    if (process.env.KEFU_DEBUG_ERRORS) console.error('UNHANDLED', error);
    return send(reply, request, 500, 'internal', 'Internal error');
  });
}
