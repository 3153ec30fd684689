/** The UI's pure formatting (web/src/lib/format.ts): dates in the company's zone, change and actor wording, cron. */
import { describe, expect, it } from 'vitest';
import {
  actorText,
  changeText,
  countsSummary,
  cronOfDailyTime,
  dailyTimeOf,
  fieldLabel,
  formatDateTime,
  formatDuration,
  personName,
} from '../../web/src/lib/format.js';

const zero = {
  created: 0,
  updated: 0,
  deactivated: 0,
  reactivated: 0,
  deleted: 0,
  unchanged: 0,
  errors: 0,
  warnings: 0,
};

describe('formatDateTime', () => {
  it('shows the instant in the given time zone', () => {
    expect(formatDateTime('2026-11-23T05:00:00Z', 'Europe/Berlin')).toBe('2026-11-23 06:00');
    expect(formatDateTime('2026-07-01T23:30:00Z', 'Europe/Berlin')).toBe('2026-07-02 01:30');
    expect(formatDateTime('2026-11-23T05:00:00Z', 'America/New_York')).toBe('2026-11-23 00:00');
  });
  it('gives a dash for missing or broken values and falls back on an unknown zone', () => {
    expect(formatDateTime(null)).toBe('—');
    expect(formatDateTime('not a date', 'UTC')).toBe('—');
    expect(formatDateTime('2026-11-23T05:00:00Z', 'Mars/Olympus')).toMatch(/^2026-11-2\d \d\d:\d\d$/);
  });
});

describe('wording', () => {
  it('labels fields and names people', () => {
    expect(fieldLabel('jobTitle')).toBe('Job title');
    expect(fieldLabel('something_new')).toBe('something_new');
    expect(personName({ firstName: 'Ada', lastName: 'Lovelace', email: 'a@x' })).toBe('Ada Lovelace');
    expect(personName({ firstName: null, lastName: '', email: 'a@x' })).toBe('a@x');
  });
  it('writes a change as "Field: before → after", with manager names and active words', () => {
    expect(changeText({ field: 'jobTitle', before: 'Sales', after: 'Marketing' })).toBe(
      'Job title: Sales → Marketing',
    );
    expect(changeText({ field: 'phoneNumber', before: null, after: '1' })).toBe('Phone number: (empty) → 1');
    expect(changeText({ field: 'active', before: 'true', after: 'false' })).toBe('Active: active → inactive');
    const names = new Map([['u1', 'Dane Schiller']]);
    expect(changeText({ field: 'manager', before: 'u1', after: 'u2' }, (id) => names.get(id))).toBe(
      'Manager: Dane Schiller → u2',
    );
  });
  it('says who changed a user: the sync of a date, an admin, an API key', () => {
    const base = { id: 'a', at: '2026-11-23T05:00:00Z', action: 'update', changes: [] };
    const run = {
      id: 'r',
      trigger: 'schedule',
      status: 'succeeded',
      startedAt: '2026-11-23T05:00:00Z',
    } as const;
    expect(
      actorText({
        entry: { ...base, actor: 'run', run },
        providerTitle: 'Personio',
        timeZone: 'Europe/Berlin',
      }),
    ).toBe('the Personio sync of 2026-11-23 06:00');
    expect(actorText({ entry: { ...base, actor: 'admin:ada@acme.example', run: null } })).toBe(
      'admin ada@acme.example',
    );
    expect(actorText({ entry: { ...base, actor: 'api:nightly', run: null } })).toBe('API key "nightly"');
  });
  it('summarises counts, leaving out zeros', () => {
    expect(countsSummary(zero)).toBe('no changes');
    expect(countsSummary({ ...zero, created: 3, deactivated: 1, errors: 1 })).toBe(
      '3 created, 1 deactivated, 1 error',
    );
  });
  it('shows durations', () => {
    expect(formatDuration('2026-11-23T05:00:00Z', null)).toBe('—');
    expect(formatDuration('2026-11-23T05:00:00Z', '2026-11-23T05:00:04Z')).toBe('4 s');
    expect(formatDuration('2026-11-23T05:00:00Z', '2026-11-23T05:02:05Z')).toBe('2 min 5 s');
  });
});

describe('daily sync time ↔ cron', () => {
  it('reads a daily cron as a time and back', () => {
    expect(dailyTimeOf('0 6 * * *')).toBe('06:00');
    expect(dailyTimeOf('30 7 * * *')).toBe('07:30');
    expect(cronOfDailyTime('07:30')).toBe('30 7 * * *');
    expect(cronOfDailyTime(dailyTimeOf('15 23 * * *') ?? '')).toBe('15 23 * * *');
  });
  it('leaves other schedules and bad times alone', () => {
    expect(dailyTimeOf('0 6 * * 1-5')).toBeNull();
    expect(dailyTimeOf('0 25 * * *')).toBeNull();
    expect(cronOfDailyTime('24:00')).toBeNull();
    expect(cronOfDailyTime('7.30')).toBeNull();
  });
});
