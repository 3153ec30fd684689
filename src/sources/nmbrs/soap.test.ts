// SOAP plumbing tests: envelopes, safe parsing (no DOCTYPE, no entity expansion), fault codes and their classes.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nmbrsConfigSchema } from './spec.js';
import {
  buildEnvelope,
  buildFault,
  child,
  classifyFault,
  decodeXmlText,
  field,
  parseFaultString,
  parseXml,
  readSoapReply,
  SoapParseError,
} from './soap.js';
import type { SoapFault } from './soap.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const fault = (faultString: string, faultCode = 'Server'): SoapFault => ({
  faultCode,
  faultString,
  ...parseFaultString(faultString),
});

describe('buildEnvelope', () => {
  it('puts AuthHeaderWithDomain in the service namespace and escapes values', () => {
    const xml = buildEnvelope({
      service: 'EmployeeService',
      auth: { username: 'a@acme.example', token: 't<&>"', domain: 'acme' },
      body: { List_GetByCompany: { CompanyId: '7', EmployeeType: '1' } },
    });
    expect(xml).toContain('<AuthHeaderWithDomain xmlns="https://api.nmbrs.nl/soap/v3/EmployeeService">');
    expect(xml).toContain('<Token>t&lt;&amp;&gt;&quot;</Token>');
    const doc = parseXml(xml);
    const header = child(child(child(doc, 'Envelope'), 'Header'), 'AuthHeaderWithDomain');
    expect(field(header, 'Token')).toBe('t<&>"');
    expect(field(child(child(child(doc, 'Envelope'), 'Body'), 'List_GetByCompany'), 'CompanyId')).toBe('7');
  });
});

describe('parseXml', () => {
  it('refuses a DOCTYPE (no entity expansion, no external entities)', () => {
    const bomb = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>';
    expect(() => parseXml(bomb)).toThrow(SoapParseError);
    expect(() => parseXml('<!doctype x SYSTEM "file:///etc/passwd"><x/>')).toThrow(/DOCTYPE/);
  });

  it('refuses a body that is not XML or not well-formed', () => {
    expect(() => parseXml('{"error":"nope"}')).toThrow(SoapParseError);
    expect(() => parseXml('<a><b></a>')).toThrow(/not well-formed/);
  });

  it('decodes predefined entities and character references once, nothing else', () => {
    expect(decodeXmlText('O&apos;Brien &amp; Smit &#233;&#x41;')).toBe("O'Brien & Smit éA");
    expect(decodeXmlText('&amp;lt;')).toBe('&lt;');
    expect(decodeXmlText('&custom;')).toBe('&custom;');
  });
});

describe('readSoapReply', () => {
  it('returns the <Op>Result node of a response', () => {
    const reply = readSoapReply({ body: fixture('employee-types.xml'), operation: 'EmployeeType_GetList' });
    expect(reply.kind).toBe('result');
  });

  it('returns an undefined result for an empty response element (null return)', () => {
    const reply = readSoapReply({ body: fixture('manager-none.xml'), operation: 'Manager_GetCurrent' });
    expect(reply).toEqual({ kind: 'result', result: undefined });
  });

  it('reads a fault with its Nmbrs code', () => {
    const reply = readSoapReply({ body: fixture('fault-1001.xml'), operation: 'List_GetAll' });
    expect(reply).toMatchObject({
      kind: 'fault',
      fault: { faultCode: 'Server', nmbrsCode: 1001, nmbrsText: 'Invalid Authentication' },
    });
  });

  it('throws when the body is an envelope of another operation or has no Body', () => {
    expect(() => readSoapReply({ body: fixture('employee-types.xml'), operation: 'List_GetAll' })).toThrow(
      /List_GetAllResponse/,
    );
    expect(() => readSoapReply({ body: '<Envelope/>', operation: 'X' })).toThrow(/no SOAP Body/);
  });

  it('round-trips a fault built by buildFault', () => {
    const xml = buildFault({ faultCode: 'soap:Client', faultString: 'Unable to handle request' });
    expect(readSoapReply({ body: xml, operation: 'X' })).toMatchObject({
      kind: 'fault',
      fault: { faultCode: 'Client', nmbrsCode: null },
    });
  });
});

describe('classifyFault', () => {
  it.each([
    ['---> 1001: Invalid Authentication', 'source_auth', 'auth'],
    ['---> 1002: Unauthorized access', 'source_auth', 'auth'],
    ['---> 1003: Unauthorized access data', 'source_auth', 'auth'],
    ['---> 1004: No valid subscription', 'source_auth', 'auth'],
    ['---> 2004: Unauthorized company', 'source_auth', 'auth'],
    ['---> 2043: Invalid Domain', 'invalid_config', 'config'],
    ['---> 2006: Invalid period', 'source_bad_response', 'system'],
    ['---> 9999: Unknown', 'source_unavailable', 'transient'],
    ['Server was unable to process request. ---> Timeout expired.', 'source_unavailable', 'transient'],
  ])('%s → %s/%s', (text, code, kind) => {
    expect(classifyFault(fault(`Server was unable to process request. ${text}`))).toMatchObject({
      code,
      kind,
    });
  });

  it('treats a client fault without a code as our bug (system), not the admin’s', () => {
    expect(
      classifyFault(fault('Server did not recognize the value of HTTP Header SOAPAction: x.', 'Client')),
    ).toMatchObject({
      code: 'source_bad_response',
      kind: 'system',
    });
  });

  it('tells the admin where to grant a missing permission', () => {
    expect(classifyFault(fault('---> 1002: Unauthorized access')).advice).toMatch(/Template users/);
  });
});

describe('nmbrsConfigSchema', () => {
  const valid = { domain: 'acme', username: 'admin@acme.example', token: 'abc123' };

  it('accepts a sub-domain, an e-mail and a token (trimmed)', () => {
    expect(
      nmbrsConfigSchema.parse({ ...valid, domain: ' Acme-2 ', username: ' admin@acme.example ' }),
    ).toEqual({
      ...valid,
      domain: 'Acme-2',
    });
  });

  it.each([
    ['domain', 'acme.nmbrs.nl', /sub-domain/],
    ['domain', '-acme', /sub-domain/],
    ['domain', 'a'.repeat(64), /sub-domain/],
    ['username', 'admin', /e-mail/],
    ['token', 'abc 123', /spaces/],
    ['token', '', /API token/],
    ['baseUrl', 'api.nmbrs.nl', /full URL/],
  ])('rejects %s = %j with an actionable message', (key, value, message) => {
    const parsed = nmbrsConfigSchema.safeParse({ ...valid, [key]: value });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.message).join(' ')).toMatch(message);
  });
});
