/** The one HTTP error mapping: AppError codes → status, `{ error: { code, message, details? } }`, unknown throws → 500. */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, isAppError, type ErrorCode } from '../core/errors.js';

/** HTTP status of every error code (the tRPC-style table of docs/adr/0003). */
export const httpStatusOf: Readonly<Record<ErrorCode, number>> = {
  invalid_input: 422,
  invalid_config: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  managed_field: 409,
  run_in_progress: 409,
  blocked: 409,
  lease_lost: 409,
  payload_too_large: 413,
  rate_limited: 429,
  source_auth: 502,
  source_unavailable: 502,
  source_bad_response: 502,
  internal: 500,
};

/** The body of every error answer. */
export interface ErrorBody {
  readonly error: {
    readonly code: ErrorCode;
    readonly message: string;
    readonly details?: Readonly<Record<string, unknown>>;
  };
}

export const errorBody = (error: AppError): ErrorBody => ({
  error: {
    code: error.code,
    message: error.message,
    ...(error.details === undefined ? {} : { details: error.details }),
  },
});

const fastifyCodeOf = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

const statusCodeOf = (error: unknown): number | undefined => {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
};

/**
 * Turns anything thrown in a route, hook or plugin into an AppError plus the status to answer with.
 * Fastify's own 4xx (bad JSON, body too large, unsupported media type) keep their meaning; anything
 * else is a bug and becomes `internal` without leaking its message.
 */
export function normalizeError(error: unknown): { appError: AppError; status: number } {
  if (isAppError(error)) return { appError: error, status: httpStatusOf[error.code] };
  const status = statusCodeOf(error);
  const code = fastifyCodeOf(error);
  const message = error instanceof Error ? error.message : String(error);
  if (status === 413 || code === 'FST_REQ_FILE_TOO_LARGE' || code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return {
      appError: new AppError(
        'payload_too_large',
        'The request body is over the size limit of this endpoint. Nothing was read or changed; send a smaller body.',
        { cause: error },
      ),
      status: 413,
    };
  }
  if (status === 415) {
    return {
      appError: new AppError('invalid_input', `${message}. Send a Content-Type this endpoint accepts.`, {
        cause: error,
        details: { contentType: 'unsupported' },
      }),
      status: 415,
    };
  }
  if (status === 429) {
    return { appError: new AppError('rate_limited', message, { cause: error }), status: 429 };
  }
  if (status !== undefined && status >= 400 && status < 500) {
    const mapped: ErrorCode =
      status === 401
        ? 'unauthorized'
        : status === 403
          ? 'forbidden'
          : status === 404
            ? 'not_found'
            : 'invalid_input';
    const text =
      code === 'FST_ERR_CTP_INVALID_JSON_BODY' || /JSON/.test(message)
        ? `The request body is not valid JSON (${message}). Send a JSON object.`
        : message;
    return { appError: new AppError(mapped, text, { cause: error }), status: httpStatusOf[mapped] };
  }
  return {
    appError: new AppError(
      'internal',
      'Something went wrong on our side; the error was logged. Try again later.',
      {
        cause: error,
      },
    ),
    status: 500,
  };
}

/** Installs the error and not-found handlers on the root instance (children inherit them). */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply) => {
    const { appError, status } = normalizeError(error);
    if (status >= 500) request.log.error({ err: error, code: appError.code }, 'request failed');
    else request.log.info({ code: appError.code, status }, appError.message);
    const retryAfter = appError.details?.retryAfterSeconds;
    if (status === 429 && !reply.hasHeader('retry-after') && typeof retryAfter === 'number') {
      void reply.header('retry-after', String(retryAfter));
    }
    return reply.status(status).type('application/json; charset=utf-8').send(errorBody(appError));
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send(
        errorBody(
          new AppError(
            'not_found',
            `No endpoint ${request.method} ${(request.url.split('?')[0] ?? '').slice(0, 200)}: see /api/v1/openapi.json.`,
          ),
        ),
      ),
  );
}
