import { isPmosError } from '@pmos/core';
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';

export interface ApiErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

export function errorBody(
  code: string,
  message: string,
  details?: Record<string, unknown>,
): ApiErrorBody {
  return { error: details ? { code, message, details } : { code, message } };
}

const fastifyClientErrorCodes: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
};

/**
 * One mapping from thrown errors to the API error body. Known errors keep their code and
 * message; anything else is logged and answered with a generic 500 — never a stack trace.
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isPmosError(error)) {
      if (error.status >= 500) request.log.error({ err: error }, error.message);
      const retryAfter = error.details?.retryAfterSeconds;
      if (error.status === 429 && typeof retryAfter === 'number') {
        reply.header('retry-after', String(retryAfter));
      }
      return reply.status(error.status).send(errorBody(error.code, error.message, error.details));
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      // One message per field, written for a person (see api/schemas.ts), never the input.
      const fields: Record<string, string> = {};
      for (const issue of error.validation) {
        const field =
          issue.instancePath.replace(/^\//, '').replaceAll('/', '.') ||
          error.validationContext ||
          'request';
        fields[field] ??= issue.message ?? 'Invalid value.';
      }
      const [first] = Object.values(fields);
      return reply
        .status(400)
        .send(errorBody('invalid_request', first ?? 'The request is not valid.', { fields }));
    }
    if (error.validation) {
      return reply.status(400).send(errorBody('invalid_request', 'The request is not valid.'));
    }
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status < 500) {
      // Fastify's own client errors: malformed JSON, body too large, unsupported media type …
      const code = fastifyClientErrorCodes[error.code] ?? 'bad_request';
      return reply.status(status).send(errorBody(code, error.message));
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply
      .status(500)
      .send(errorBody('internal_error', 'Something went wrong on our side. It has been logged.'));
  });
}
