import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loggerOptions, redactPaths, redactUrl } from './logging.js';

describe('server/logging', () => {
  it('cuts the webhook token out of URLs, and only there', () => {
    expect(redactUrl('/webhooks/peoplehr/abcDEF-123_x')).toBe('/webhooks/peoplehr/[redacted]');
    expect(redactUrl('/webhooks/peoplehr/abc?x=1')).toBe('/webhooks/peoplehr/[redacted]?x=1');
    expect(redactUrl('/api/v1/users/42')).toBe('/api/v1/users/42');
  });

  it('redacts secrets at any of the first three levels', () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const log = pino({ redact: { paths: [...redactPaths], censor: '[redacted]' } }, stream);
    log.info({
      password: 'p-0',
      body: { apiKey: 'k-1', nested: { clientSecret: 's-2' } },
      req: { headers: { authorization: 'Bearer rs_x', cookie: 'rs_session=t' } },
      credentials: { token: 't-3' },
    });
    const text = lines.join('');
    for (const secret of ['p-0', 'k-1', 's-2', 'rs_x', 'rs_session=t', 't-3'])
      expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
  });

  it('logs nothing unless asked', () => {
    expect(loggerOptions({ logger: undefined, level: 'info' })).toBe(false);
    expect(loggerOptions({ logger: true, level: 'warn' })).toMatchObject({ level: 'warn' });
  });
});
