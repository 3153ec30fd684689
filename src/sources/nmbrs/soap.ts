/** SOAP 1.1 plumbing for the Nmbrs API v3: envelopes built and parsed with fast-xml-parser, faults classified. */
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import type { ErrorCode, FailureKind } from '../../core/errors.js';

export const nmbrsServices = ['EmployeeService', 'CompanyService', 'DebtorService'] as const;
export type NmbrsService = (typeof nmbrsServices)[number];

export const soapEnvelopeNs = 'http://schemas.xmlsoap.org/soap/envelope/';
const xsiNs = 'http://www.w3.org/2001/XMLSchema-instance';
const xsdNs = 'http://www.w3.org/2001/XMLSchema';

/** XML namespace of a service; the auth header must carry the namespace of the service called. */
export const serviceNamespace = (service: NmbrsService): string => `https://api.nmbrs.nl/soap/v3/${service}`;
/** Path of a service's ASMX endpoint below the base URL. */
export const servicePath = (service: NmbrsService): string => `/soap/v3/${service}.asmx`;
/** SOAP 1.1 `SOAPAction`: namespace + '/' + operation (ASMX convention). */
export const soapAction = (o: { service: NmbrsService; operation: string }): string =>
  `${serviceNamespace(o.service)}/${o.operation}`;

/** The `AuthHeaderWithDomain` of API v3: the user's e-mail, API token and sub-domain. */
export interface NmbrsAuth {
  readonly username: string;
  readonly token: string;
  readonly domain: string;
}

/** A parsed XML element: text, nested elements, or `null` for an empty/`xsi:nil` element. */
export type XmlNode = string | XmlObject | XmlNode[] | null;
export interface XmlObject {
  [key: string]: XmlNode;
}

// Elements that repeat in Nmbrs responses: always arrays, even with one child.
const repeated = new Set([
  'Company',
  'Employee',
  'EmployeeType',
  'PersonalInfoItem',
  'PersonalInfo_V2',
  'PersonalInfo',
  'EmployeeFunctionItem_V2',
  'EmployeeFunction',
  'EmployeeContractItem',
  'EmployeeContractItemGlobal',
  'EmployeeContract',
  'EmployeeEmploymentItem',
  'Employment',
]);

const entity = /&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot|apos);/gi;
const named: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/**
 * Decodes the five predefined XML entities and character references in one pass. The parser runs
 * with `processEntities: false` so that no DTD-declared entity is ever expanded.
 */
export function decodeXmlText(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(entity, (whole, ref: string) => {
    const key = ref.toLowerCase();
    const mapped = named[key];
    if (mapped !== undefined) return mapped;
    const code = key.startsWith('#x') ? parseInt(key.slice(2), 16) : parseInt(key.slice(1), 10);
    return Number.isInteger(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false,
  trimValues: true,
  isArray: (name) => repeated.has(name),
  tagValueProcessor: (_name, value) => decodeXmlText(value),
  attributeValueProcessor: (_name, value) => decodeXmlText(value),
});

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: true,
  suppressBooleanAttributes: false,
});

/** Why a body could not be read as a SOAP envelope. */
export class SoapParseError extends Error {
  override readonly name = 'SoapParseError';
}

const isObject = (node: unknown): node is XmlObject =>
  typeof node === 'object' && node !== null && !Array.isArray(node);

/** Parses an XML document, refusing a DOCTYPE (no entity tricks) and anything that is not XML. */
export function parseXml(text: string): XmlObject {
  if (/<!DOCTYPE|<!ENTITY/i.test(text))
    throw new SoapParseError('the XML declares a DOCTYPE, which is refused');
  if (!text.trimStart().startsWith('<')) throw new SoapParseError('the body is not XML');
  let doc: unknown;
  try {
    doc = parser.parse(text, true);
  } catch (error) {
    throw new SoapParseError(
      `the XML is not well-formed (${error instanceof Error ? error.message : 'parse error'})`,
    );
  }
  if (!isObject(doc)) throw new SoapParseError('the XML is empty');
  return doc;
}

/** The child element `name` of a node (first one when repeated), or undefined. */
export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  if (!isObject(node)) return undefined;
  const value = node[name];
  return Array.isArray(value) ? value[0] : value;
}

/** All child elements `name` of a node, as an array. */
export function children(node: XmlNode | undefined, name: string): XmlNode[] {
  if (!isObject(node)) return [];
  const value = node[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** All child elements of a wrapper whatever their name (e.g. `EmployeePersonalInfos` → its records). */
export function anyChildren(node: XmlNode | undefined): XmlObject[] {
  if (!isObject(node)) return [];
  return Object.entries(node)
    .filter(([key]) => !key.startsWith('@_') && key !== '#text')
    .flatMap(([, value]) => (Array.isArray(value) ? value : [value]))
    .filter(isObject);
}

/** The text of an element; null when absent, empty or `xsi:nil`. */
export function text(node: XmlNode | undefined): string | null {
  if (node === undefined || node === null) return null;
  if (typeof node === 'string') return node === '' ? null : node;
  if (Array.isArray(node)) return text(node[0]);
  const inner = node['#text'];
  return typeof inner === 'string' && inner !== '' ? inner : null;
}

/** Text of a child element. */
export const field = (node: XmlNode | undefined, name: string): string | null => text(child(node, name));

/** A SOAP fault as the server sent it, with the Nmbrs error code when the fault string carries one. */
export interface SoapFault {
  /** `soap:Client` / `soap:Server` (namespace prefix removed: `Client` / `Server`). */
  readonly faultCode: string;
  readonly faultString: string;
  /** Nmbrs code from `---> 1001: Invalid Authentication`, or null. */
  readonly nmbrsCode: number | null;
  /** The Nmbrs text after the code, or the whole fault string. */
  readonly nmbrsText: string;
}

/** The outcome of reading one SOAP response: the operation's `<Op>Result` node, or a fault. */
export type SoapReply =
  | { readonly kind: 'result'; readonly result: XmlNode | undefined }
  | { readonly kind: 'fault'; readonly fault: SoapFault };

const nmbrsCodePattern = /--->\s*(\d{3,5})\s*:\s*([^\r\n]*)/;

/** Reads a fault string's Nmbrs code (`---> 1001: Invalid Authentication`). */
export function parseFaultString(faultString: string): { nmbrsCode: number | null; nmbrsText: string } {
  const m = nmbrsCodePattern.exec(faultString);
  if (m === null) {
    const inner = /--->\s*([^\r\n]*)/.exec(faultString);
    return { nmbrsCode: null, nmbrsText: (inner?.[1] ?? faultString).trim() };
  }
  return { nmbrsCode: Number(m[1]), nmbrsText: (m[2] ?? '').trim() };
}

/**
 * Reads a SOAP 1.1 (or 1.2) response body: the `<operation>Response/<operation>Result` node or
 * the fault. Throws {@link SoapParseError} when the body is not such an envelope.
 */
export function readSoapReply(o: { body: string; operation: string }): SoapReply {
  const doc = parseXml(o.body);
  const envelope = child(doc, 'Envelope');
  const body = child(envelope, 'Body');
  if (!isObject(body)) throw new SoapParseError('the response has no SOAP Body');
  const fault = child(body, 'Fault');
  if (fault !== undefined) {
    // SOAP 1.1: faultcode/faultstring; SOAP 1.2: Code/Value and Reason/Text.
    const faultCode = (field(fault, 'faultcode') ?? field(child(fault, 'Code'), 'Value') ?? '').replace(
      /^.*:/,
      '',
    );
    const faultString = field(fault, 'faultstring') ?? field(child(fault, 'Reason'), 'Text') ?? '';
    return { kind: 'fault', fault: { faultCode, faultString, ...parseFaultString(faultString) } };
  }
  const response = child(body, `${o.operation}Response`);
  if (response === undefined) {
    throw new SoapParseError(`the response has no ${o.operation}Response element`);
  }
  return { kind: 'result', result: child(response, `${o.operation}Result`) };
}

/** A value for {@link buildEnvelope}: text, nested elements, repeated elements, or nil. */
export type XmlValue = string | number | boolean | null | XmlValueObject | XmlValueObject[];
export interface XmlValueObject {
  [key: string]: XmlValue;
}

const toBuilderTree = (value: XmlValue): unknown => {
  if (value === null) return { '@_xsi:nil': 'true' };
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return value.map(toBuilderTree);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toBuilderTree(v)]));
};

/**
 * Builds a SOAP 1.1 envelope: optional `AuthHeaderWithDomain` (namespace of the service) and one
 * body element in the service namespace. Text is escaped by the builder.
 *
 * @example
 * buildEnvelope({ service: 'CompanyService', auth, body: { List_GetAll: {} } });
 */
export function buildEnvelope(o: {
  service: NmbrsService;
  auth?: NmbrsAuth;
  body: Readonly<Record<string, XmlValueObject>>;
}): string {
  const ns = serviceNamespace(o.service);
  const header =
    o.auth === undefined
      ? {}
      : {
          'soap:Header': {
            AuthHeaderWithDomain: {
              '@_xmlns': ns,
              Username: o.auth.username,
              Token: o.auth.token,
              Domain: o.auth.domain,
            },
          },
        };
  const body = Object.fromEntries(
    Object.entries(o.body).map(([name, content]) => [
      name,
      { '@_xmlns': ns, ...(toBuilderTree(content) as Record<string, unknown>) },
    ]),
  );
  return builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'utf-8' },
    'soap:Envelope': {
      '@_xmlns:soap': soapEnvelopeNs,
      '@_xmlns:xsi': xsiNs,
      '@_xmlns:xsd': xsdNs,
      ...header,
      'soap:Body': body,
    },
  });
}

/** Builds a SOAP 1.1 fault envelope the way ASMX renders an exception. */
export function buildFault(o: { faultCode: 'soap:Client' | 'soap:Server'; faultString: string }): string {
  return builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'utf-8' },
    'soap:Envelope': {
      '@_xmlns:soap': soapEnvelopeNs,
      '@_xmlns:xsi': xsiNs,
      '@_xmlns:xsd': xsdNs,
      'soap:Body': {
        'soap:Fault': { faultcode: o.faultCode, faultstring: o.faultString, detail: '' },
      },
    },
  });
}

/** How a fault maps onto rostersync's error codes, with the admin's next step. */
export interface FaultClass {
  readonly code: ErrorCode;
  readonly kind: FailureKind;
  /** What to do, appended to the message. */
  readonly advice: string;
}

const permissionAdvice =
  "In Nmbrs open Settings → Template users, click the cog in the API column of your user type, and allow this call (service 'Employee Services' or 'Company Services'); then click 'Update credentials'.";

/**
 * Classifies a fault. Codes per Nmbrs' error list (1001 authentication, 1002/1003 template
 * rights, 1004 subscription, 1006 login security, 2003/2004 unauthorised employee/company,
 * 2042/2043 domain). Faults without a code and 9999 are treated as passing server trouble.
 */
export function classifyFault(fault: SoapFault): FaultClass {
  switch (fault.nmbrsCode) {
    case 1001:
      return {
        code: 'source_auth',
        kind: 'auth',
        advice:
          "Check the API domain, the user e-mail and the API token (Nmbrs: User profile → API token), then click 'Update credentials'.",
      };
    case 1002:
    case 1003:
    case 2003:
    case 2004:
      return { code: 'source_auth', kind: 'auth', advice: permissionAdvice };
    case 1004:
      return {
        code: 'source_auth',
        kind: 'auth',
        advice: 'Your Nmbrs subscription does not include API access: ask Nmbrs support to enable it.',
      };
    case 1006:
      return {
        code: 'source_auth',
        kind: 'auth',
        advice:
          "Nmbrs blocked the login for security reasons: sign in to Nmbrs once, then click 'Update credentials'.",
      };
    case 2042:
    case 2043:
      return {
        code: 'invalid_config',
        kind: 'config',
        advice:
          "Check the API domain: it is the sub-domain of your Nmbrs login page ('acme' for acme.nmbrs.nl).",
      };
    default:
      break;
  }
  if (fault.nmbrsCode === null && fault.faultCode === 'Client') {
    // The server rejected the request itself (action, envelope): a bug on our side, not the admin's.
    return {
      code: 'source_bad_response',
      kind: 'system',
      advice: 'rostersync sent a request Nmbrs did not accept; please report this.',
    };
  }
  if (fault.nmbrsCode !== null && fault.nmbrsCode !== 9999) {
    return {
      code: 'source_bad_response',
      kind: 'system',
      advice: 'Nmbrs rejected the request; if it persists, please report this with the message above.',
    };
  }
  return {
    code: 'source_unavailable',
    kind: 'transient',
    advice: 'Nmbrs had a temporary problem; the sync will retry.',
  };
}

/**
 * Builds a SOAP 1.1 response the way ASMX serialises a return value: `<OpResponse><OpResult>…`;
 * an undefined result (a null return) leaves the response element empty.
 */
export function buildResponse(o: {
  service: NmbrsService;
  operation: string;
  result: XmlValue | undefined;
}): string {
  const content = o.result === undefined ? {} : { [`${o.operation}Result`]: toBuilderTree(o.result) };
  return builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'utf-8' },
    'soap:Envelope': {
      '@_xmlns:soap': soapEnvelopeNs,
      '@_xmlns:xsi': xsiNs,
      '@_xmlns:xsd': xsdNs,
      'soap:Body': { [`${o.operation}Response`]: { '@_xmlns': serviceNamespace(o.service), ...content } },
    },
  });
}
