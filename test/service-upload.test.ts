/** The upload API: CSV, XML and multipart employee files, dry runs, 202 + polling, size limits, errors, positions. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from './db.js';
import {
  asBrowser,
  asKey,
  company,
  errorOf,
  startService,
  type Company,
  type Service,
} from './service-helpers.js';
import { fakeSource, people } from './support/fake-source.js';

const header =
  'employee_id,email,first_name,last_name,job_title,department,manager_employee_id,groups,status';
const csv = [
  header,
  '1,ada@acme.example,Ada,Lovelace,CEO,Board,,Leadership,active',
  '2,alan@acme.example,Alan,Turing,Engineer,Engineering,1,Engineering,active',
  '3,grace@acme.example,Grace,Hopper,Engineer,Engineering,1,Engineering,active',
].join('\n');
const xml = `<?xml version="1.0" encoding="UTF-8"?>
<employees>
  <employee><employee_id>1</employee_id><email>ada@acme.example</email><first_name>Ada</first_name><last_name>Lovelace</last_name><status>active</status></employee>
  <employee><employee_id>2</employee_id><email>alan@acme.example</email><first_name>Alan</first_name><last_name>Turing</last_name><status>active</status></employee>
</employees>`;
const positions = `<?xml version="1.0" encoding="UTF-8"?>
<positions>
  <position><code>ENG-1</code><title>Engineer</title><department>R&amp;D</department></position>
  <position><title>Advisor</title></position>
</positions>`;
const MAX = 4096;

const multipart = (o: { field?: string; filename: string; type: string; content: string }) => {
  const boundary = `----rs${randomUUID()}`;
  const payload =
    `--${boundary}\r\nContent-Disposition: form-data; name="${o.field ?? 'file'}"; filename="${o.filename}"\r\n` +
    `Content-Type: ${o.type}\r\n\r\n${o.content}\r\n--${boundary}--\r\n`;
  return { payload, contentType: `multipart/form-data; boundary=${boundary}` };
};

interface Run {
  id: string;
  status: string;
  trigger: string;
  counts: Record<string, number>;
}

describeEachDialect('service: upload API', (getStore) => {
  let svc: Service;
  let c: Company;
  beforeAll(async () => {
    svc = await startService(getStore(), {
      source: fakeSource({ people: people(3), pageSize: 10, failPage: null, reads: 0 }),
      env: { ROSTERSYNC_MAX_UPLOAD_BYTES: String(MAX) },
    });
    c = await company(svc);
  });
  afterAll(async () => {
    await svc.app.close();
  });

  const upload = (o: {
    key?: string;
    type?: string;
    body: string;
    url?: string;
    headers?: Record<string, string>;
  }) =>
    svc.app.inject({
      method: 'POST',
      url: o.url ?? '/api/v1/hr-data/employees',
      headers: { ...(o.key ? asKey(o.key) : {}), 'content-type': o.type ?? 'text/csv', ...o.headers },
      payload: o.body,
    });

  /** Follows a run the way an upload client does, until it leaves `running`. */
  const settle = async (runId: string, key = c.keys.upload): Promise<Run> => {
    for (let i = 0; i < 500; i += 1) {
      const res = await svc.app.inject({ method: 'GET', url: `/api/v1/runs/${runId}`, headers: asKey(key) });
      const run = res.json<Run>();
      if (run.status !== 'running') return run;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`run ${runId} did not finish`);
  };

  it('a dry run answers 200 with the plan and creates nothing', async () => {
    const res = await upload({ key: c.keys.upload, body: csv, url: '/api/v1/hr-data/employees?dryRun=true' });
    expect(res.statusCode).toBe(200);
    const run = res.json<{ run: Run & { items: { items: { action: string; email: string }[] } } }>().run;
    expect(run.status).toBe('dry_run');
    expect(run.counts.created).toBe(3);
    expect(run.items.items.map((i) => i.action)).toEqual(['create', 'create', 'create']);
    expect((await svc.deps.store.directory.listUsers(c.tenant.id, { limit: 10 })).total).toBe(0);
  });

  it('a CSV body answers 202 {runId} with a Location; the run is followed with the same key', async () => {
    const res = await upload({ key: c.keys.upload, body: csv });
    expect(res.statusCode).toBe(202);
    const { runId } = res.json<{ runId: string }>();
    expect(res.headers.location).toBe(`/api/v1/runs/${runId}`);
    const run = await settle(runId);
    expect(run).toMatchObject({ status: 'succeeded', trigger: 'upload' });
    expect(run.counts.created).toBe(3);
    const errors = await svc.app.inject({
      method: 'GET',
      url: `/api/v1/runs/${runId}/errors.csv`,
      headers: asKey(c.keys.upload),
    });
    expect(errors.statusCode).toBe(200);
    expect(errors.body.trim()).toBe('severity,record,source_id,email,field,code,message');
    // The upload key follows runs, it does not browse the directory.
    expect(
      (await svc.app.inject({ method: 'GET', url: '/api/v1/runs', headers: asKey(c.keys.upload) }))
        .statusCode,
    ).toBe(403);
  });

  it('takes XML bodies and multipart uploads (field `file`); other fields are 422', async () => {
    const viaXml = await upload({ key: c.keys.upload, type: 'application/xml', body: xml });
    expect(viaXml.statusCode).toBe(202);
    const run = await settle(viaXml.json<{ runId: string }>().runId);
    // Grace is missing from this file: one of three leaving is over the 10% guard, so nothing is applied.
    expect(run.status).toBe('blocked');
    expect(run.counts).toMatchObject({ deactivated: 1, unchanged: 2 });
    const form = multipart({ filename: 'roster.csv', type: 'text/csv', content: csv });
    const viaForm = await upload({ key: c.keys.upload, type: form.contentType, body: form.payload });
    expect(viaForm.statusCode).toBe(202);
    expect((await settle(viaForm.json<{ runId: string }>().runId)).counts).toMatchObject({
      deactivated: 0,
      unchanged: 3,
    });
    const wrong = multipart({ field: 'roster', filename: 'roster.csv', type: 'text/csv', content: csv });
    const refused = await upload({ key: c.keys.upload, type: wrong.contentType, body: wrong.payload });
    expect(refused.statusCode).toBe(422);
    expect(errorOf(refused).details).toMatchObject({ field: 'file' });
  });

  it('a malformed file is refused whole (422) naming the line or element; nothing changes', async () => {
    const before = svc.deps.store.stats.directoryRows;
    const badCsv = await upload({
      key: c.keys.upload,
      body: `${header}\n9,"unclosed@acme.example,X,Y,,,,,active\n`,
    });
    expect(badCsv.statusCode).toBe(422);
    expect(errorOf(badCsv).code).toBe('invalid_input');
    expect(errorOf(badCsv).message).toMatch(/line \d/i);
    const badXml = await upload({
      key: c.keys.upload,
      type: 'text/xml',
      body: '<employees><employee><email>x</email></employees>',
    });
    expect(badXml.statusCode).toBe(422);
    expect(JSON.stringify(errorOf(badXml))).toMatch(/line|element/i);
    expect((await upload({ key: c.keys.upload, body: '' })).statusCode).toBe(422);
    expect(svc.deps.store.stats.directoryRows).toBe(before);
  });

  it('413 over ROSTERSYNC_MAX_UPLOAD_BYTES (raw and multipart); 415 for JSON', async () => {
    const big = `${header}\n${'1,a@acme.example,A,B,,,,,active\n'.repeat(200)}`;
    expect(big.length).toBeGreaterThan(MAX);
    const raw = await upload({ key: c.keys.upload, body: big });
    expect(raw.statusCode).toBe(413);
    expect(errorOf(raw).code).toBe('payload_too_large');
    const form = multipart({ filename: 'big.csv', type: 'text/csv', content: big });
    const viaForm = await upload({ key: c.keys.upload, type: form.contentType, body: form.payload });
    expect(viaForm.statusCode).toBe(413);
    const json = await upload({ key: c.keys.upload, type: 'application/json', body: '{"employees":[]}' });
    expect(json.statusCode).toBe(415);
    expect(errorOf(json).code).toBe('invalid_input');
  });

  it('a signed-in admin uploads from the UI (CSRF required); a viewer may not', async () => {
    const noCsrf = await upload({ body: csv, headers: { cookie: c.admin.cookie } });
    expect(noCsrf.statusCode).toBe(403);
    const viewer = await upload({ body: csv, headers: asBrowser(c.viewer) });
    expect(viewer.statusCode).toBe(403);
    const dry = await upload({
      body: csv,
      headers: asBrowser(c.admin),
      url: '/api/v1/hr-data/employees?dryRun=true',
    });
    expect(dry.statusCode).toBe(200);
  });

  it('401 without a key, 403 with a key lacking hr-data:write', async () => {
    expect((await upload({ body: csv })).statusCode).toBe(401);
    const admin = await upload({ key: c.keys.admin, body: csv });
    expect(admin.statusCode).toBe(403);
    expect(errorOf(admin).message).toContain('hr-data:write');
    expect(
      (
        await upload({
          key: c.keys.directory,
          body: positions,
          url: '/api/v1/hr-data/positions',
          type: 'application/xml',
        })
      ).statusCode,
    ).toBe(403);
  });

  it('uploads positions (XML): positions and departments added, a dry run counts only', async () => {
    const dry = await upload({
      key: c.keys.upload,
      type: 'application/xml',
      body: positions,
      url: '/api/v1/hr-data/positions?dryRun=true',
    });
    expect(dry.statusCode).toBe(200);
    // Engineer exists already (a job title of the employee file): only Advisor is new.
    expect(dry.json()).toEqual({ positions: 2, created: 1, dryRun: true });
    const res = await upload({
      key: c.keys.upload,
      type: 'application/xml',
      body: positions,
      url: '/api/v1/hr-data/positions',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ positions: 2, dryRun: false });
    const list = await svc.app.inject({
      method: 'GET',
      url: '/api/v1/positions',
      headers: asBrowser(c.viewer),
    });
    expect(list.json<{ items: string[] }>().items).toEqual(expect.arrayContaining(['Advisor', 'Engineer']));
    const departments = await svc.app.inject({
      method: 'GET',
      url: '/api/v1/departments',
      headers: asBrowser(c.viewer),
    });
    expect(departments.json<{ items: string[] }>().items).toContain('R&D');
  });

  it('409 while another HR source is connected; another tenant cannot follow the run (404)', async () => {
    const other = await company(svc, 'Connected');
    const connected = await svc.app.inject({
      method: 'POST',
      url: '/api/v1/integration',
      headers: asBrowser(other.admin),
      payload: { provider: 'personio', config: { token: 'good' } },
    });
    expect(connected.statusCode).toBe(201);
    const refused = await upload({ key: other.keys.upload, body: csv });
    expect(refused.statusCode).toBe(409);
    expect(errorOf(refused).message).toContain('personio');
    const mine = await upload({ key: c.keys.upload, body: csv });
    const runId = mine.json<{ runId: string }>().runId;
    await settle(runId);
    expect(
      (
        await svc.app.inject({
          method: 'GET',
          url: `/api/v1/runs/${runId}`,
          headers: asKey(other.keys.upload),
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await svc.app.inject({
          method: 'GET',
          url: `/api/v1/runs/${runId}/errors.csv`,
          headers: asKey(other.keys.upload),
        })
      ).statusCode,
    ).toBe(404);
  });

  it('rate-limits uploads per key (429 with Retry-After); another key is counted apart', async () => {
    const limited = await startService(getStore(), { limits: { uploadMax: 2 } });
    try {
      const t = await company(limited, 'Limited');
      const send = (key: string) =>
        limited.app.inject({
          method: 'POST',
          url: '/api/v1/hr-data/employees?dryRun=true',
          headers: { ...asKey(key), 'content-type': 'text/csv' },
          payload: csv,
        });
      const codes = [];
      for (let i = 0; i < 3; i += 1) codes.push((await send(t.keys.upload)).statusCode);
      expect(codes).toEqual([200, 200, 429]);
      const last = await send(t.keys.upload);
      expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
      const second = await createSecondKey(limited, t);
      expect((await send(second)).statusCode).toBe(200);
    } finally {
      await limited.app.close();
    }
  });
});

async function createSecondKey(svc: Service, c: Company): Promise<string> {
  const res = await svc.app.inject({
    method: 'POST',
    url: '/api/v1/api-keys',
    headers: asBrowser(c.admin),
    payload: { name: 'second', scopes: ['hr-data:write'] },
  });
  return res.json<{ key: string }>().key;
}

describe('upload helpers', () => {
  it('builds a multipart body with the boundary in the content type', () => {
    const m = multipart({ filename: 'a.csv', type: 'text/csv', content: 'x' });
    expect(m.payload).toContain(m.contentType.split('boundary=')[1]);
  });
});
