import { describe, expect, it } from 'vitest';
import { nextScheduledRun, validateSyncCron } from './settings.js';

describe('engine/settings', () => {
  it('accepts five-field schedules and refuses seconds, bad fields and anything under 15 minutes', () => {
    expect(validateSyncCron(' 0  6 * * * ', 'Europe/Berlin')).toEqual({ ok: true, value: '0 6 * * *' });
    expect(validateSyncCron('*/15 * * * *', 'UTC').ok).toBe(true);
    for (const bad of ['0 0 6 * * *', '61 6 * * *', '*/5 * * * *', 'daily', '']) {
      const r = validateSyncCron(bad, 'UTC');
      expect(r.ok, bad).toBe(false);
      expect(!r.ok && r.error.details).toMatchObject({ field: 'syncCron' });
    }
  });

  it('computes the next run in the tenant time zone (DST included)', () => {
    const now = new Date('2026-11-23T06:00:00Z');
    expect(nextScheduledRun({ syncCron: '0 6 * * *', timezone: 'UTC' }, now)).toBe(
      '2026-11-24T06:00:00.000Z',
    );
    expect(nextScheduledRun({ syncCron: '0 6 * * *', timezone: 'Europe/Berlin' }, now)).toBe(
      '2026-11-24T05:00:00.000Z',
    );
    expect(
      nextScheduledRun(
        { syncCron: '0 6 * * *', timezone: 'Europe/Berlin' },
        new Date('2026-07-01T00:00:00Z'),
      ),
    ).toBe('2026-07-01T04:00:00.000Z');
    expect(nextScheduledRun({ syncCron: 'nonsense', timezone: 'UTC' }, now)).toBeNull();
  });
});
