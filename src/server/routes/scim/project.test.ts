/** attributes / excludedAttributes: what remains of a resource, case-insensitively, extensions included. */
import { describe, expect, it } from 'vitest';
import { keepsAttribute, parseAttributeList, projectResource } from './project.js';
import { SCIM_SCHEMA } from './schemas.js';

const ENT = SCIM_SCHEMA.enterpriseUser;
const OURS = SCIM_SCHEMA.rostersyncUser;
const schema = { coreSchema: SCIM_SCHEMA.user, extensions: [ENT, OURS] };

const user = {
  schemas: [SCIM_SCHEMA.user, ENT, OURS],
  id: 'u1',
  userName: 'jane@acme.example',
  name: { givenName: 'Jane', familyName: 'Doe' },
  emails: [{ value: 'jane@acme.example', type: 'work', primary: true }],
  active: true,
  [ENT]: { employeeNumber: '7', manager: { value: 'u0', displayName: 'Boss' } },
  [OURS]: { location: 'Berlin' },
  meta: { resourceType: 'User', version: 'W/"x"' },
};

const project = (o: { attributes?: string; excludedAttributes?: string }) =>
  projectResource(user, {
    attributes: parseAttributeList(o.attributes, schema),
    excludedAttributes: parseAttributeList(o.excludedAttributes, schema),
  });

describe('projectResource', () => {
  it('returns the resource unchanged without either parameter', () => {
    expect(project({})).toEqual(user);
  });

  it('keeps only the named attributes, plus id and schemas (returned "always")', () => {
    expect(project({ attributes: 'userName,ACTIVE' })).toEqual({
      schemas: [SCIM_SCHEMA.user],
      id: 'u1',
      userName: 'jane@acme.example',
      active: true,
    });
  });

  it('keeps sub-attributes of complex and multi-valued attributes', () => {
    expect(project({ attributes: 'name.familyName, emails.value' })).toMatchObject({
      name: { familyName: 'Doe' },
      emails: [{ value: 'jane@acme.example' }],
    });
    expect(project({ attributes: 'name.familyName' }).name).toEqual({ familyName: 'Doe' });
  });

  it('reads schema-qualified names and whole extensions', () => {
    const core = project({ attributes: `${SCIM_SCHEMA.user}:userName` });
    expect(core).toEqual({ schemas: [SCIM_SCHEMA.user], id: 'u1', userName: 'jane@acme.example' });
    const manager = project({ attributes: `${ENT}:manager.value` });
    expect(manager).toEqual({
      schemas: [SCIM_SCHEMA.user, ENT],
      id: 'u1',
      [ENT]: { manager: { value: 'u0' } },
    });
    const whole = project({ attributes: OURS.toUpperCase() });
    expect(whole).toEqual({ schemas: [SCIM_SCHEMA.user, OURS], id: 'u1', [OURS]: { location: 'Berlin' } });
  });

  it('drops excluded attributes, sub-attributes and extensions, never id or schemas', () => {
    const r = project({ excludedAttributes: `emails,name.givenName,${OURS},${ENT}:manager,id,schemas` });
    expect(r).not.toHaveProperty('emails');
    expect(r.name).toEqual({ familyName: 'Doe' });
    expect(r).not.toHaveProperty([OURS]);
    expect(r[ENT]).toEqual({ employeeNumber: '7' });
    expect(r.id).toBe('u1');
    expect(r.schemas).toEqual([SCIM_SCHEMA.user, ENT]);
  });

  it('ignores excludedAttributes when attributes is given, and unknown names', () => {
    expect(project({ attributes: 'userName', excludedAttributes: 'userName' })).toHaveProperty('userName');
    expect(project({ excludedAttributes: 'nothingLikeThis,' })).toEqual(user);
  });

  it('removes an extension whose every attribute was excluded', () => {
    const r = project({ excludedAttributes: `${OURS}:location` });
    expect(r).not.toHaveProperty([OURS]);
    expect(r.schemas).toEqual([SCIM_SCHEMA.user, ENT]);
  });
});

describe('keepsAttribute', () => {
  const of = (o: { attributes?: string; excludedAttributes?: string }) => ({
    attributes: parseAttributeList(o.attributes, schema),
    excludedAttributes: parseAttributeList(o.excludedAttributes, schema),
  });

  it('tells whether any part of an attribute survives the projection', () => {
    expect(keepsAttribute(of({}), 'members')).toBe(true);
    expect(keepsAttribute(of({ excludedAttributes: 'Members' }), 'members')).toBe(false);
    expect(keepsAttribute(of({ excludedAttributes: 'members.display' }), 'members')).toBe(true);
    expect(keepsAttribute(of({ attributes: 'displayName' }), 'members')).toBe(false);
    expect(keepsAttribute(of({ attributes: 'displayName,members.value' }), 'members')).toBe(true);
  });
});
