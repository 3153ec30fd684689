import { describe, expect, it } from 'vitest';
import { AppError, errorCodes } from '../core/errors.js';
import { errorBody, httpStatusOf, normalizeError } from './errors.js';

const fastifyError = (statusCode: number, code: string, message = 'boom') =>
  Object.assign(new Error(message), { statusCode, code });

describe('server/errors', () => {
  it('maps every error code to the status of the brief', () => {
    expect(Object.keys(httpStatusOf).sort()).toEqual([...errorCodes].sort());
    expect(httpStatusOf).toMatchObject({
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
    });
  });

  it('answers { error: { code, message, details? } }', () => {
    expect(errorBody(new AppError('conflict', 'taken'))).toEqual({
      error: { code: 'conflict', message: 'taken' },
    });
    expect(errorBody(new AppError('invalid_input', 'bad', { details: { line: 3 } }))).toEqual({
      error: { code: 'invalid_input', message: 'bad', details: { line: 3 } },
    });
  });

  it("keeps Fastify's 4xx meaning and hides the message of anything else", () => {
    expect(normalizeError(fastifyError(413, 'FST_ERR_CTP_BODY_TOO_LARGE'))).toMatchObject({
      status: 413,
      appError: { code: 'payload_too_large' },
    });
    expect(normalizeError(fastifyError(415, 'FST_ERR_CTP_INVALID_MEDIA_TYPE'))).toMatchObject({
      status: 415,
      appError: { code: 'invalid_input' },
    });
    expect(
      normalizeError(fastifyError(400, 'FST_ERR_CTP_INVALID_JSON_BODY', 'Unexpected end of JSON input')),
    ).toMatchObject({
      status: 422,
      appError: { code: 'invalid_input' },
    });
    expect(normalizeError(fastifyError(429, 'X'))).toMatchObject({
      status: 429,
      appError: { code: 'rate_limited' },
    });
    expect(normalizeError(fastifyError(404, 'X'))).toMatchObject({
      status: 404,
      appError: { code: 'not_found' },
    });
    const bug = normalizeError(new TypeError('secret internals at line 42'));
    expect(bug).toMatchObject({ status: 500, appError: { code: 'internal' } });
    expect(bug.appError.message).not.toContain('secret internals');
  });
});
