// Table tests of the KiwiHR mapping, from a users page in KiwiHR's GraphQL response format.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kiwihrDate, mapKiwihrUser, type KiwihrUser } from './map.js';

const page = JSON.parse(readFileSync(new URL('./fixtures/users-page.json', import.meta.url), 'utf8')) as {
  data: { users: { items: KiwihrUser[] } };
};
const [jane, marc, alex, sam] = page.data.users.items.map(mapKiwihrUser);

describe('mapKiwihrUser', () => {
  it('maps every synchronized field of a complete user', () => {
    expect(jane).toEqual({
      sourceId: '1001',
      ref: 'user 1001',
      attributes: {
        firstName: 'Jane',
        lastName: 'Doe',
        email: 'Jane.Doe@Acme.example',
        birthDate: '1988-04-12',
        employeeNumber: 'E01001',
        jobTitle: 'Head of Sales',
        currentHiredOn: '2019-09-01',
        leavingDate: null,
      },
      active: true,
      managerSourceId: null,
      groups: ['Sales', 'Leadership'],
    });
  });

  it('trims strings, stringifies numbers, keeps the date part of a date-time, and dedupes teams', () => {
    expect(marc?.attributes).toMatchObject({
      firstName: 'Marc',
      email: 'marc.dupont@acme.example',
      birthDate: '1992-11-30',
      employeeNumber: '1002',
    });
    expect(marc?.groups).toEqual(['Sales']);
    expect(marc?.managerSourceId).toBe('1001');
  });

  it('maps the contract end date to leavingDate and leaves the past-date rule to core', () => {
    expect(marc?.attributes.leavingDate).toBe('2025-06-30');
    expect(marc?.active).toBe(true);
  });

  it('deactivated in KiwiHR → inactive; unparseable dates are passed through for validate to flag', () => {
    expect(alex?.active).toBe(false);
    expect(alex?.sourceId).toBe('1003');
    expect(alex?.attributes).toMatchObject({
      birthDate: '30.11.1992',
      currentHiredOn: '2018-02-30',
      leavingDate: '2027-01-31',
      employeeNumber: null,
      jobTitle: null,
    });
    expect(alex?.groups).toEqual([]);
    expect(alex?.managerSourceId).toBe('1001');
  });

  it('empty values become null, a missing isActive stays active, missing teams are no groups', () => {
    expect(sam?.attributes).toEqual({
      firstName: 'Sam',
      lastName: 'Lee',
      email: null,
      birthDate: null,
      employeeNumber: null,
      jobTitle: null,
      currentHiredOn: null,
      leavingDate: null,
    });
    expect(sam?.active).toBe(true);
    expect(sam?.groups).toEqual([]);
    expect(sam?.managerSourceId).toBeNull();
  });

  it('returns only managed attributes (no gender, no phone)', () => {
    const raw = { id: '7', gender: 'FEMALE', workPhones: ['+1 555'] } as unknown as KiwihrUser;
    expect(Object.keys(mapKiwihrUser(raw).attributes).sort()).toEqual(
      [
        'birthDate',
        'currentHiredOn',
        'email',
        'employeeNumber',
        'firstName',
        'jobTitle',
        'lastName',
        'leavingDate',
      ].sort(),
    );
  });
});

describe('kiwihrDate', () => {
  it.each([
    ['2024-02-29', '2024-02-29'],
    ['2023-02-29', '2023-02-29'],
    ['2024-12-01T23:00:00+01:00', '2024-12-01'],
    ['', null],
    ['  ', null],
    [null, null],
    ['yesterday', 'yesterday'],
  ])('%s → %s', (input, expected) => {
    expect(kiwihrDate(input)).toBe(expected);
  });
});
