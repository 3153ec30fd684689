// The People HR emulator on the wire: envelopes, paths, leavers, control-API changes and webhooks.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SourceContext } from '../contract.js';
import type { PeopleHrEmulator } from './emulator.js';
import { startPeopleHrEmulator } from './emulator.js';
import type { PeopleHrConfig } from './index.js';
import peoplehr from './index.js';
import { fieldText } from './map.js';
import type { PeopleHrEmployee } from './map.js';

let emu: PeopleHrEmulator;
let key: string;
let receiver: Server;
let receiverUrl: string;
const deliveries: unknown[] = [];
const sourceCtx: SourceContext = { allowLoopback: true, retry: { retries: 0 } };

const post = async (path: string, body: unknown) => {
  const res = await fetch(`${emu.origin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const control = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${emu.origin}/_emulator${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(res.status).toBeLessThan(300);
  return (await res.json()) as Record<string, unknown>;
};
const config = (): PeopleHrConfig => ({ apiKey: key, baseUrl: emu.url });
const roster = async () => {
  const out = new Map<string, ReturnType<typeof peoplehr.map>>();
  for await (const page of peoplehr.read(config(), sourceCtx)) {
    for (const raw of page) {
      const person = peoplehr.map(raw);
      out.set(person.sourceId, person);
    }
  }
  return out;
};

beforeAll(async () => {
  emu = await startPeopleHrEmulator({ count: 60, seed: 3, today: '2026-11-23' });
  key = emu.state.credentials['apiKey'] ?? '';
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      deliveries.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/peoplehr/secret`;
});
afterAll(async () => {
  await emu.close();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});
afterEach(() => {
  deliveries.length = 0;
});

describe('People HR wire format', () => {
  it('answers GetAllEmployeeDetail with the success envelope and wrapped fields', async () => {
    const { status, body } = await post('/Employee', {
      APIKey: key,
      Action: 'GetAllEmployeeDetail',
      IncludeLeavers: 'true',
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ isError: false, Status: 0 });
    const result = body['Result'] as PeopleHrEmployee[];
    expect(result).toHaveLength(60);
    const first = result[0] ?? {};
    expect(first['EmployeeId']).toEqual({ DisplayValue: emu.state.people[0]?.id, FieldHistory: [] });
    expect(first['JobRole']).toHaveProperty('FieldHistoryForJobRole');
    expect(first['Department']).toHaveProperty('FieldHistoryForEffectiveDate');
    expect(typeof first['LeavingDate']).toBe('string');
  });

  it('leaves leavers out unless IncludeLeavers is true', async () => {
    const leavers = emu.state.people.filter(
      (p) => p.status === 'inactive' || (p.leavingDate ?? '9999') < '2026-11-23',
    );
    expect(leavers.length).toBeGreaterThan(0);
    const { body } = await post('/Employee', {
      APIKey: key,
      Action: 'GetAllEmployeeDetail',
      IncludeLeavers: 'false',
    });
    expect(body['Result']).toHaveLength(60 - leavers.length);
  });

  it.each([
    ['empty body', '', 7, 'No json data found.'],
    ['invalid JSON', '{"APIKey":', 9, 'Invalid json data.'],
    ['no key', { Action: 'GetAllEmployeeDetail' }, 1, 'API key is missing.'],
    ['wrong key', { APIKey: 'nope', Action: 'GetAllEmployeeDetail' }, 2, 'Invalid API Key.'],
    ['no action', { APIKey: 'KEY' }, 3, 'Action is missing.'],
    ['unknown action', { APIKey: 'KEY', Action: 'DeleteEverything' }, 4, 'Invalid Action.'],
    [
      'unknown employee',
      { APIKey: 'KEY', Action: 'GetEmployeeDetailById', EmployeeId: 'PW404' },
      5,
      'EmployeeId does not exists.',
    ],
    [
      'id too long',
      { APIKey: 'KEY', Action: 'GetEmployeeDetailById', EmployeeId: 'x'.repeat(16) },
      5,
      'EmployeeId contains more than 15 characters.',
    ],
  ])('%s → HTTP 200, isError, Status %i', async (_name, body, code, message) => {
    const sent: unknown =
      typeof body === 'string'
        ? body
        : JSON.parse(JSON.stringify(body).replace('"KEY"', JSON.stringify(key)));
    const res = await post('/Employee', sent);
    expect(res).toEqual({
      status: 200,
      body: { isError: true, Status: code, Message: message, Result: null },
    });
  });

  it('accepts the action in the path and the swagger base path', async () => {
    const id = emu.state.people[5]?.id ?? '';
    for (const path of ['/Employee/GetEmployeeDetailById', '/v3.1/Employee']) {
      const { body } = await post(path, { APIKey: key, Action: 'GetEmployeeDetailById', EmployeeId: id });
      expect(fieldText(body['Result'] as PeopleHrEmployee, 'EmployeeId')).toBe(id);
    }
  });

  it('answers other methods and resources like a web API would', async () => {
    expect((await fetch(`${emu.origin}/Employee`)).status).toBe(405);
    expect((await post('/Holiday', { APIKey: key, Action: 'GetHolidayDetail' })).status).toBe(404);
  });
});

describe('control API changes show up in the API and send webhooks', () => {
  it('hire, update, move team, terminate and rehire', async () => {
    await control('PUT', '/webhook', { url: receiverUrl });
    const hired = (await control('POST', '/employees', { firstName: 'Ada', department: 'Data' })) as {
      id: string;
    };
    let people = await roster();
    expect(people.get(hired.id)).toMatchObject({
      active: true,
      attributes: { firstName: 'Ada', department: 'Data' },
    });

    const boss = emu.state.people[3]?.id ?? '';
    await control('PATCH', `/employees/${hired.id}`, {
      position: 'Data Lead',
      managerId: boss,
      location: 'Leeds',
    });
    people = await roster();
    expect(people.get(hired.id)).toMatchObject({
      managerSourceId: boss,
      attributes: { jobTitle: 'Data Lead', location: 'Leeds' },
    });

    await control('POST', `/employees/${hired.id}/terminate`, { leavingDate: '2026-11-30' });
    expect((await roster()).get(hired.id)).toMatchObject({
      active: false,
      attributes: { leavingDate: '2026-11-30' },
    });

    await control('POST', `/employees/${hired.id}/rehire`);
    expect((await roster()).get(hired.id)).toMatchObject({ active: true, attributes: { leavingDate: null } });

    expect(deliveries).toEqual([
      { ActionId: 1, Action: 'New Starter Added', EmployeeId: hired.id },
      { ActionId: 2, Action: 'Employee Detail Updated', EmployeeId: hired.id },
      { ActionId: 3, Action: 'Marked Leaver', EmployeeId: hired.id },
      { ActionId: 2, Action: 'Employee Detail Updated', EmployeeId: hired.id },
    ]);
    expect(emu.webhooks.sent).toBe(4);
  });

  it('a delivered webhook leads back to the changed employee through parseWebhook and readByIds', async () => {
    emu.state.webhookUrl = receiverUrl;
    const target = emu.state.people[10]?.id ?? '';
    await emu.control.update(target, { lastName: 'Lovelace' });
    const hint = peoplehr.parseWebhook?.(deliveries[0]);
    expect(hint).toEqual({ kind: 'ids', ids: [target] });
    const fetched: PeopleHrEmployee[] = [];
    for await (const page of peoplehr.readByIds?.(
      config(),
      hint?.kind === 'ids' ? hint.ids : [],
      sourceCtx,
    ) ?? []) {
      fetched.push(...page);
    }
    expect(fetched.map((e) => peoplehr.map(e).attributes.lastName)).toEqual(['Lovelace']);
  });

  it('counts a failed delivery and still applies the change', async () => {
    emu.state.webhookUrl = 'http://127.0.0.1:1/unreachable';
    const failedBefore = emu.webhooks.failed;
    const target = emu.state.people[11]?.id ?? '';
    await emu.control.update(target, { department: 'Legal' });
    expect(emu.webhooks.failed).toBe(failedBefore + 1);
    expect((await roster()).get(target)?.attributes.department).toBe('Legal');
    emu.state.webhookUrl = null;
  });
});
