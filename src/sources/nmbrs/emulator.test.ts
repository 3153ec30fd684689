// Emulator wire tests: raw SOAP requests checked the way ASMX would (action, auth header namespace, faults).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../_shared/index.js';
import { nmbrsEmulatorCredentials, startNmbrsEmulator } from './emulator.js';
import { buildEnvelope, readSoapReply, serviceNamespace, soapAction } from './soap.js';
import type { NmbrsAuth, NmbrsService } from './soap.js';

const auth: NmbrsAuth = { ...nmbrsEmulatorCredentials };

describe('Nmbrs emulator (SOAP wire)', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startNmbrsEmulator({ count: 12, seed: 5, companySize: 5 });
  });
  afterAll(() => emu.close());

  const post = async (o: {
    service: NmbrsService;
    body: string;
    action?: string | null;
  }): Promise<Response> =>
    fetch(`${emu.origin}/soap/v3/${o.service}.asmx`, {
      method: 'POST',
      headers: {
        'content-type': 'text/xml; charset=utf-8',
        ...(o.action === null
          ? {}
          : { soapaction: `"${o.action ?? soapAction({ service: o.service, operation: 'List_GetAll' })}"` }),
      },
      body: o.body,
    });

  it('lists companies of `companySize` employees, ids distinct from employee ids', async () => {
    const res = await post({
      service: 'CompanyService',
      body: buildEnvelope({ service: 'CompanyService', auth, body: { List_GetAll: {} } }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/xml/);
    const reply = readSoapReply({ body: await res.text(), operation: 'List_GetAll' });
    expect(reply.kind === 'result' && JSON.stringify(reply.result)).toContain('"ID":"50003"');
    expect(reply.kind === 'result' && JSON.stringify(reply.result)).not.toContain('"ID":"50004"');
  });

  it('ignores an auth header in another service namespace (→ 1001), as ASMX does', async () => {
    const body = buildEnvelope({ service: 'CompanyService', auth, body: { List_GetAll: {} } }).replace(
      `<AuthHeaderWithDomain xmlns="${serviceNamespace('CompanyService')}">`,
      `<AuthHeaderWithDomain xmlns="${serviceNamespace('EmployeeService')}">`,
    );
    const res = await post({ service: 'CompanyService', body });
    expect(res.status).toBe(500);
    expect(readSoapReply({ body: await res.text(), operation: 'List_GetAll' })).toMatchObject({
      kind: 'fault',
      fault: { faultCode: 'Server', nmbrsCode: 1001 },
    });
  });

  it('accepts the header with a namespace prefix declared on the envelope', async () => {
    const ns = serviceNamespace('CompanyService');
    const body = `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:c="${ns}"><s:Header><c:AuthHeaderWithDomain><c:Username>${auth.username}</c:Username><c:Token>${auth.token}</c:Token><c:Domain>ACME</c:Domain></c:AuthHeaderWithDomain></s:Header><s:Body><c:List_GetAll/></s:Body></s:Envelope>`;
    const res = await post({ service: 'CompanyService', body });
    expect(res.status).toBe(200);
  });

  it('requires a SOAPAction and answers a missing one with a client fault', async () => {
    const res = await post({
      service: 'CompanyService',
      body: buildEnvelope({ service: 'CompanyService', auth, body: { List_GetAll: {} } }),
      action: null,
    });
    expect(res.status).toBe(500);
    const reply = readSoapReply({ body: await res.text(), operation: 'List_GetAll' });
    expect(reply).toMatchObject({ kind: 'fault', fault: { faultCode: 'Client' } });
    expect(reply.kind === 'fault' && reply.fault.faultString).toMatch(/valid action parameter/);
  });

  it('answers a body that is not XML with a client fault and GETs with 404', async () => {
    const bad = await post({ service: 'CompanyService', body: 'not xml' });
    expect(bad.status).toBe(500);
    expect(await bad.text()).toContain('<faultcode>soap:Client</faultcode>');
    const get = await fetch(`${emu.origin}/soap/v3/EmployeeService.asmx`);
    expect(get.status).toBe(404);
  });

  it('counts every SOAP request served and renders the fault injected for its company', async () => {
    emu.control.setFaults({ failPages: { 2: { status: 503, times: 1 } } });
    const before = emu.state.requests;
    const list = (companyId: string): Promise<Response> =>
      post({
        service: 'EmployeeService',
        action: soapAction({ service: 'EmployeeService', operation: 'List_GetByCompany' }),
        body: buildEnvelope({
          service: 'EmployeeService',
          auth,
          body: { List_GetByCompany: { CompanyId: companyId, EmployeeType: '1' } },
        }),
      });
    expect((await list('50001')).status).toBe(200);
    const failed = await list('50002');
    expect(failed.status).toBe(503);
    expect((await list('50002')).status).toBe(200);
    expect(emu.state.requests - before).toBe(3);
    emu.control.resetFaults();
  });
});
