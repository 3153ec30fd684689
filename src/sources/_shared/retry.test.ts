/** Tests of the retry policy: full-jitter bounds, Retry-After parsing, abortable waits. */
import { describe, expect, it } from 'vitest';
import { backoffDelay, parseRetryAfter, retrySettings, wait } from './retry.js';

describe('backoffDelay', () => {
  it('is uniform under min(cap, base * 2^attempt)', () => {
    expect(backoffDelay({ attempt: 0, baseDelayMs: 250, maxDelayMs: 10_000, random: () => 0.999 })).toBe(249);
    expect(backoffDelay({ attempt: 3, baseDelayMs: 250, maxDelayMs: 10_000, random: () => 0.5 })).toBe(1000);
    expect(backoffDelay({ attempt: 20, baseDelayMs: 250, maxDelayMs: 10_000, random: () => 0.5 })).toBe(5000);
    expect(backoffDelay({ attempt: 2, baseDelayMs: 250, maxDelayMs: 10_000, random: () => 0 })).toBe(0);
  });

  it('spreads 20 clients that failed together (full jitter, not lockstep)', () => {
    const delays = Array.from({ length: 20 }, () =>
      backoffDelay({ attempt: 4, baseDelayMs: 250, maxDelayMs: 10_000 }),
    );
    expect(new Set(delays).size).toBeGreaterThan(10);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-23T06:00:00Z');
  it('reads delay-seconds and HTTP-dates', () => {
    expect(parseRetryAfter({ header: '2' })).toBe(2000);
    expect(parseRetryAfter({ header: ' 0 ' })).toBe(0);
    expect(parseRetryAfter({ header: 'Mon, 23 Nov 2026 06:00:30 GMT', now })).toBe(30_000);
    expect(parseRetryAfter({ header: 'Mon, 23 Nov 2026 05:00:00 GMT', now })).toBe(0);
  });
  it('returns null for absent or unreadable values', () => {
    expect(parseRetryAfter({ header: undefined })).toBeNull();
    expect(parseRetryAfter({ header: '' })).toBeNull();
    expect(parseRetryAfter({ header: '-1' })).toBeNull();
    expect(parseRetryAfter({ header: '1.5' })).toBeNull();
    expect(parseRetryAfter({ header: 'soon' })).toBeNull();
  });
});

describe('retrySettings', () => {
  it('defaults to 4 retries, 250 ms base, 10 s cap, 60 s Retry-After cap', () => {
    const s = retrySettings({ allowLoopback: false });
    expect([s.retries, s.baseDelayMs, s.maxDelayMs, s.maxRetryAfterMs, s.sleep]).toEqual([
      4,
      250,
      10_000,
      60_000,
      undefined,
    ]);
    expect(retrySettings({ allowLoopback: false, retry: { retries: 1, baseDelayMs: 1 } }).retries).toBe(1);
  });
});

describe('wait', () => {
  it('uses the injected sleep', async () => {
    const slept: number[] = [];
    await wait({ ms: 1234, sleep: (ms) => Promise.resolve(void slept.push(ms)) });
    expect(slept).toEqual([1234]);
  });

  it('rejects at once when the signal aborts, even if the sleep never ends', async () => {
    const controller = new AbortController();
    const pending = wait({
      ms: 60_000,
      signal: controller.signal,
      sleep: () => new Promise(() => undefined),
    });
    controller.abort(new Error('lease lost'));
    await expect(pending).rejects.toThrow('lease lost');
  });

  it('rejects before sleeping when already aborted', async () => {
    let calls = 0;
    const controller = new AbortController();
    controller.abort();
    const sleep = (): Promise<void> => Promise.resolve(void (calls += 1));
    await expect(wait({ ms: 10, signal: controller.signal, sleep })).rejects.toThrow();
    expect(calls).toBe(0);
  });

  it('waits with a real timer when nothing is injected', async () => {
    await expect(wait({ ms: 1 })).resolves.toBeUndefined();
  });
});
