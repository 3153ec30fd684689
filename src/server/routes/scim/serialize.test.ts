/** SCIM resources from directory views: RFC 7643 required attributes, omitted nulls, and agreement with /Schemas. */
import { describe, expect, it } from 'vitest';
import type { DirectoryGroupView, DirectoryUserView } from '../../../engine/index.js';
import { personFields, type PersonAttributes } from '../../../core/model.js';
import { expectRfcResource, undeclaredAttributes } from '../../../../test/support/scim.js';
import { SCIM_SCHEMA } from './schemas.js';
import { listResponse, scimErrorBody, scimGroup, scimUser, versionOf } from './serialize.js';

const base = 'https://rs.example.com/scim/v2';

const person = (a: Partial<PersonAttributes>): PersonAttributes =>
  ({ ...Object.fromEntries(personFields.map((f) => [f, null])), ...a }) as PersonAttributes;

const fullUser: DirectoryUserView = {
  user: {
    id: 'u1',
    tenantId: 't1',
    attributes: person({
      email: 'Jane.Doe@Acme.example',
      firstName: 'Jane',
      lastName: 'Doe',
      birthDate: '1990-02-03',
      gender: 'female',
      employeeNumber: 'E-7',
      jobTitle: 'Engineer',
      department: 'R&D',
      location: 'Berlin',
      phoneNumber: '+49 30 1234',
      contractType: 'permanent',
      firstHiredOn: '2020-01-01',
      currentHiredOn: '2021-01-01',
      leavingDate: null,
    }),
    active: true,
    managerId: 'u0',
    integrationId: 'i1',
    sourceId: '42',
    groupIds: ['g1'],
    createdAt: '2026-11-01T06:00:00.000Z',
    updatedAt: '2026-11-23T06:00:00.000Z',
  },
  manager: { id: 'u0', email: 'boss@acme.example', displayName: 'Big Boss' },
  groups: [{ id: 'g1', name: 'Sales' }],
  provider: 'personio',
};

const bareUser: DirectoryUserView = {
  user: {
    ...fullUser.user,
    id: 'u2',
    attributes: person({}),
    active: false,
    managerId: null,
    integrationId: null,
    sourceId: null,
    groupIds: [],
  },
  manager: null,
  groups: [],
  provider: null,
};

const group: DirectoryGroupView = {
  id: 'g1',
  name: 'Sales',
  createdAt: '2026-11-01T06:00:00.000Z',
  updatedAt: '2026-11-02T06:00:00.000Z',
  members: [{ id: 'u1', email: 'jane@acme.example', displayName: 'Jane Doe' }],
};

describe('scimUser', () => {
  it('maps every attribute to the core User schema, the enterprise extension and ours', () => {
    const r = scimUser(fullUser, { base });
    expectRfcResource(r, { resourceType: 'User', base });
    expect(r).toMatchObject({
      schemas: [SCIM_SCHEMA.user, SCIM_SCHEMA.enterpriseUser, SCIM_SCHEMA.rostersyncUser],
      id: 'u1',
      externalId: '42',
      userName: 'Jane.Doe@Acme.example',
      name: { formatted: 'Jane Doe', givenName: 'Jane', familyName: 'Doe' },
      displayName: 'Jane Doe',
      title: 'Engineer',
      active: true,
      emails: [{ value: 'Jane.Doe@Acme.example', type: 'work', primary: true }],
      phoneNumbers: [{ value: '+49 30 1234', type: 'work', primary: true }],
      groups: [{ value: 'g1', $ref: `${base}/Groups/g1`, display: 'Sales', type: 'direct' }],
      [SCIM_SCHEMA.enterpriseUser]: {
        employeeNumber: 'E-7',
        department: 'R&D',
        manager: { value: 'u0', $ref: `${base}/Users/u0`, displayName: 'Big Boss' },
      },
      [SCIM_SCHEMA.rostersyncUser]: {
        location: 'Berlin',
        birthDate: '1990-02-03',
        gender: 'female',
        contractType: 'permanent',
        firstHiredOn: '2020-01-01',
        currentHiredOn: '2021-01-01',
        sourceProvider: 'personio',
      },
      meta: {
        resourceType: 'User',
        created: '2026-11-01T06:00:00.000Z',
        lastModified: '2026-11-23T06:00:00.000Z',
      },
    });
    expect(undeclaredAttributes(r, SCIM_SCHEMA.user)).toEqual([]);
  });

  it('omits what is unassigned, and falls back to the id for a user without email', () => {
    const r = scimUser(bareUser, { base });
    expectRfcResource(r, { resourceType: 'User', base });
    expect(r.schemas).toEqual([SCIM_SCHEMA.user]);
    expect(r.userName).toBe('u2');
    expect(r.displayName).toBe('u2');
    expect(r.active).toBe(false);
    for (const absent of [
      'externalId',
      'name',
      'emails',
      'phoneNumbers',
      'groups',
      'title',
      SCIM_SCHEMA.enterpriseUser,
    ]) {
      expect(r).not.toHaveProperty([absent]);
    }
    expect(undeclaredAttributes(r, SCIM_SCHEMA.user)).toEqual([]);
  });

  it('escapes ids in URLs', () => {
    const r = scimUser({ ...bareUser, user: { ...bareUser.user, id: 'a/b c' } }, { base });
    expect((r.meta as { location: string }).location).toBe(`${base}/Users/a%2Fb%20c`);
  });

  it('changes version when anything visible changes, memberships included, and only then', () => {
    const v = (view: DirectoryUserView) => (scimUser(view, { base }).meta as { version: string }).version;
    expect(v(fullUser)).toBe(v(structuredClone(fullUser)));
    expect(v({ ...fullUser, groups: [] })).not.toBe(v(fullUser));
    expect(v({ ...fullUser, user: { ...fullUser.user, active: false } })).not.toBe(v(fullUser));
    expect(versionOf({ a: 1 })).not.toBe(versionOf({ a: 2 }));
  });
});

describe('scimGroup', () => {
  it('is a Group with members referring to Users', () => {
    const r = scimGroup(group, { base });
    expectRfcResource(r, { resourceType: 'Group', base });
    expect(r).toMatchObject({
      schemas: [SCIM_SCHEMA.group],
      id: 'g1',
      displayName: 'Sales',
      members: [{ value: 'u1', $ref: `${base}/Users/u1`, display: 'Jane Doe', type: 'User' }],
    });
    expect(undeclaredAttributes(r, SCIM_SCHEMA.group)).toEqual([]);
    expect(scimGroup({ ...group, members: [] }, { base })).not.toHaveProperty('members');
    // Members not read (excluded by the client): no version, since it would not match the full group's.
    const skipped = scimGroup({ ...group, members: null }, { base });
    expect(skipped).not.toHaveProperty('members');
    expect(skipped.meta).not.toHaveProperty('version');
    expect(skipped.meta).toMatchObject({ resourceType: 'Group', lastModified: group.updatedAt });
  });
});

describe('messages', () => {
  it('lists with totalResults, startIndex and itemsPerPage (RFC 7644 §3.4.2)', () => {
    expect(listResponse({ resources: [{ id: 'a' }], totalResults: 7, startIndex: 3 })).toEqual({
      schemas: [SCIM_SCHEMA.listResponse],
      totalResults: 7,
      startIndex: 3,
      itemsPerPage: 1,
      Resources: [{ id: 'a' }],
    });
  });

  it('errors with status as a string (RFC 7644 §3.12)', () => {
    expect(scimErrorBody({ status: 400, scimType: 'invalidFilter', detail: 'bad' })).toEqual({
      schemas: [SCIM_SCHEMA.error],
      status: '400',
      scimType: 'invalidFilter',
      detail: 'bad',
    });
    expect(scimErrorBody({ status: 404, detail: 'gone' })).not.toHaveProperty('scimType');
  });
});
