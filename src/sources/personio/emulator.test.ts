// The Personio emulator's wire format: auth, envelope, pagination rules, errors, control API effects.
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { personioEmulatorCredentials, startPersonioEmulator } from './emulator.js';
import type { PersonioEmulator } from './emulator.js';
import { mapPersonioEmployee } from './map.js';
import type { PersonioEmployee } from './map.js';

interface ListBody {
  success: boolean;
  metadata: { total_elements: number; current_page: number; total_pages: number };
  offset: number;
  limit: number;
  data: PersonioEmployee[];
}

/** Bodies recorded from the OpenAPI examples (personio/api-docs, personio-personnel-data-api-oa3.yaml). */
const recorded = JSON.parse(
  readFileSync(new URL('./fixtures/responses.json', import.meta.url), 'utf8'),
) as Record<'unauthorized' | 'forbidden' | 'notFound', unknown>;

let emu: PersonioEmulator;
let token: string;

const authenticate = async (body: string, contentType: string): Promise<Response> =>
  fetch(`${emu.url}/v1/auth`, { method: 'POST', headers: { 'content-type': contentType }, body });

const get = async (path: string, bearer: string | null = token): Promise<Response> =>
  fetch(`${emu.url}${path}`, bearer === null ? {} : { headers: { authorization: `Bearer ${bearer}` } });

const list = async (query: string): Promise<ListBody> => {
  const res = await get(`/v1/company/employees${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as ListBody;
};

const employee = async (id: string): Promise<PersonioEmployee> => {
  const res = await get(`/v1/company/employees/${id}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: PersonioEmployee }).data;
};

beforeAll(async () => {
  emu = await startPersonioEmulator({ port: 0, count: 120, seed: 11, today: '2026-11-23' });
  const res = await authenticate(
    JSON.stringify({
      client_id: personioEmulatorCredentials.clientId,
      client_secret: personioEmulatorCredentials.clientSecret,
    }),
    'application/json',
  );
  token = ((await res.json()) as { data: { token: string } }).data.token;
});
afterAll(async () => {
  await emu.close();
});
afterEach(() => {
  emu.control.resetFaults();
});

describe('POST /v1/auth', () => {
  it('issues a stable papi- token for JSON and form bodies', async () => {
    expect(token).toMatch(/^papi-/);
    const form = new URLSearchParams({
      client_id: personioEmulatorCredentials.clientId,
      client_secret: personioEmulatorCredentials.clientSecret,
    });
    const res = await authenticate(form.toString(), 'application/x-www-form-urlencoded');
    expect(await res.json()).toEqual({
      success: true,
      data: { token, expires_in: 86400, scope: 'employees:read' },
    });
  });

  it('refuses wrong or missing credentials in the v1 error shape', async () => {
    const wrong = await authenticate(
      JSON.stringify({ client_id: 'x', client_secret: 'y' }),
      'application/json',
    );
    expect([wrong.status, await wrong.json()]).toEqual([
      401,
      { success: false, error: { code: 401, message: 'Wrong credentials' } },
    ]);
    const missing = await authenticate('{}', 'application/json');
    expect(missing.status).toBe(422);
  });
});

describe('GET /v1/company/employees', () => {
  it('answers 401 without a token and 403 with an unknown one', async () => {
    const none = await get('/v1/company/employees', null);
    expect([none.status, await none.json()]).toEqual([401, recorded.unauthorized]);
    const bad = await get('/v1/company/employees', 'papi-nope');
    expect([bad.status, await bad.json()]).toEqual([403, recorded.forbidden]);
  });

  it('serves 50 per page without parameters, caps limit at 100, 0-based current_page', async () => {
    const first = await list('');
    expect([first.data.length, first.limit, first.offset, first.metadata]).toEqual([
      50,
      50,
      0,
      { total_elements: 120, current_page: 0, total_pages: 3 },
    ]);
    const capped = await list('?limit=500&offset=0');
    expect([capped.data.length, capped.limit, capped.metadata.total_pages]).toEqual([100, 100, 2]);
    const third = await list('?limit=50&offset=100');
    expect([third.data.length, third.metadata.current_page]).toEqual([20, 2]);
    expect((await get('/v1/company/employees?limit=0')).status).toBe(400);
  });

  it('echoes the bearer token in the Authorization response header', async () => {
    const res = await get('/v1/company/employees?limit=1');
    expect(res.headers.get('authorization')).toBe(`Bearer ${token}`);
  });

  it('wraps every attribute as {label, value, type, universal_id} with Personio formats', async () => {
    const [ceo, report] = (await list('?limit=2')).data;
    for (const attr of Object.values(ceo?.attributes ?? {})) {
      expect(Object.keys(attr ?? {}).sort()).toEqual(['label', 'type', 'universal_id', 'value']);
    }
    expect(ceo?.attributes['id']).toEqual({ label: 'ID', value: 1001, type: 'integer', universal_id: 'id' });
    expect(ceo?.attributes['hire_date']?.value).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00\+0[12]:00$/);
    expect(ceo?.attributes['department']?.value).toMatchObject({
      type: 'Department',
      attributes: { name: 'Operations' },
    });
    expect(ceo?.attributes['supervisor']?.value).toBeNull();
    expect(report?.attributes['supervisor']?.value).toMatchObject({
      type: 'Employee',
      attributes: { id: { label: 'ID', value: 1001, type: 'integer', universal_id: 'id' } },
    });
    expect(ceo?.attributes['dynamic_1146666']).toMatchObject({ type: 'date', universal_id: null });
  });

  it('projects attributes[] and filters by email', async () => {
    const projected = await list('?limit=1&attributes[]=first_name');
    expect(Object.keys(projected.data[0]?.attributes ?? {}).sort()).toEqual(['first_name', 'id']);
    const target = emu.state.people[7];
    const found = await list(`?email=${encodeURIComponent(target?.email.toUpperCase() ?? '')}`);
    expect([found.metadata.total_elements, found.data[0]?.attributes['id']?.value]).toEqual([
      1,
      Number(target?.id),
    ]);
  });

  it('renders faults as Personio would', async () => {
    emu.control.setFaults({ failPages: { 1: { status: 429, times: 1, retryAfterSeconds: 7 } } });
    const limited = await get('/v1/company/employees?limit=10');
    expect([limited.status, limited.headers.get('retry-after'), await limited.json()]).toEqual([
      429,
      '7',
      { success: false, error: { code: 429, message: 'Too Many Requests' } },
    ]);
    emu.control.setFaults({ malformedPages: [1] });
    const malformed = await get('/v1/company/employees?limit=10');
    await expect(malformed.json()).rejects.toThrow();
  });

  it('answers an unknown employee id with the localized 404 body', async () => {
    const res = await get('/v1/company/employees/424242');
    expect([res.status, await res.json()]).toEqual([404, recorded.notFound]);
  });
});

describe('control API changes show up in the API', () => {
  it('terminate, rehire, update and hire', async () => {
    const id = emu.state.people[20]?.id ?? '';
    const terminated = await fetch(`${emu.origin}/_emulator/employees/${id}/terminate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ leavingDate: '2026-10-31' }),
    });
    expect(terminated.status).toBe(200);
    expect(mapPersonioEmployee(await employee(id))).toMatchObject({
      active: false,
      attributes: { leavingDate: '2026-10-31' },
    });

    await emu.control.rehire(id);
    expect(mapPersonioEmployee(await employee(id))).toMatchObject({
      active: true,
      attributes: { leavingDate: null },
    });

    await emu.control.update(id, { department: 'Legal', position: 'Legal Counsel', managerId: '1002' });
    expect(mapPersonioEmployee(await employee(id))).toMatchObject({
      managerSourceId: '1002',
      attributes: { department: 'Legal', jobTitle: 'Legal Counsel' },
    });

    const hire = await emu.control.hire({ firstHiredOn: '2027-01-04', currentHiredOn: '2027-01-04' });
    const hired = await employee(hire.id);
    expect(hired.attributes['status']?.value).toBe('onboarding');
    expect(mapPersonioEmployee(hired)).toMatchObject({
      active: true,
      attributes: { firstHiredOn: '2027-01-04' },
    });
    expect((await list('?limit=1')).metadata.total_elements).toBe(121);
  });

  it('renders a stable share of active people as on leave', async () => {
    const statuses = new Set((await list('?limit=100')).data.map((e) => e.attributes['status']?.value));
    expect([...statuses].sort()).toEqual(['active', 'inactive', 'leave']);
  });
});
