/** Local Nmbrs emulator: the SOAP API v3 (CompanyService, EmployeeService) over the kit's server, with auth header checks and ASMX-style faults. */
import { startEmulator, truncateBody } from '../_shared/index.js';
import type {
  ApiContext,
  EmulatorState,
  FaultDecision,
  HrPerson,
  RunningEmulator,
} from '../_shared/index.js';
import {
  companyId,
  companyLayout,
  renderCompanies,
  renderContracts,
  renderEmployeeList,
  renderEmployments,
  renderFunctions,
  renderManager,
  renderPersonalInfos,
} from './emulator-render.js';
import type { CompanyLayout } from './emulator-render.js';
import {
  buildFault,
  buildResponse,
  child,
  field,
  parseXml,
  serviceNamespace,
  SoapParseError,
} from './soap.js';
import type { NmbrsService, XmlNode, XmlValue } from './soap.js';

/** What connects to the emulator: keys equal the connector's config fields. */
export interface NmbrsEmulatorCredentials {
  domain: string;
  username: string;
  token: string;
}

/** Fixed defaults so the demo and tests can connect. */
export const nmbrsEmulatorCredentials: Readonly<NmbrsEmulatorCredentials> = {
  domain: 'acme',
  username: 'api@acme.example',
  token: 'nmbrs-emulator-token',
};

export interface NmbrsEmulatorOptions {
  /** 0 (default) = a free port on 127.0.0.1. */
  port?: number;
  count?: number;
  seed?: number;
  people?: HrPerson[];
  credentials?: Partial<NmbrsEmulatorCredentials>;
  /** Employees per emulated company (default 100): each company is one "page" for faults. */
  companySize?: number;
  /** ISO date the roster is generated for and leavers are dated from (default the kit's). */
  today?: string;
}

type EmulatedService = Exclude<NmbrsService, 'DebtorService'>;
type Handler = (o: {
  people: readonly HrPerson[];
  params: XmlNode | undefined;
  scope: Scope;
}) => XmlValue | undefined;

/** Where a request points: its company slice (for company-scoped calls) or employee. */
interface Scope {
  readonly page: number;
  readonly companyPeople: readonly HrPerson[];
  readonly known: boolean;
}

const realToday = (): string => new Date().toISOString().slice(0, 10);

const soapClientFault = (ctx: ApiContext, message: string): void =>
  ctx.send(500, buildFault({ faultCode: 'soap:Client', faultString: message }), {
    'content-type': 'text/xml; charset=utf-8',
  });

const nmbrsFault = (ctx: ApiContext, code: number, text: string): void =>
  ctx.send(
    500,
    buildFault({
      faultCode: 'soap:Server',
      faultString: `System.Web.Services.Protocols.SoapException: Server was unable to process request. ---> ${code}: ${text}`,
    }),
    { 'content-type': 'text/xml; charset=utf-8' },
  );

/** Renders a fault decision the way IIS/ASMX would; returns false when the request should proceed. */
function renderDecision(ctx: ApiContext, decision: FaultDecision): boolean {
  switch (decision.action) {
    case 'ok':
    case 'malformed':
      return false;
    case 'revoked':
      nmbrsFault(ctx, 1001, 'Invalid Authentication');
      return true;
    case 'reset':
      ctx.destroy();
      return true;
    case 'status': {
      const { status, headers } = decision;
      if (status === 500) {
        ctx.send(
          500,
          buildFault({
            faultCode: 'soap:Server',
            faultString:
              'Server was unable to process request. ---> Timeout expired. The timeout period elapsed prior to completion of the operation.',
          }),
          { 'content-type': 'text/xml; charset=utf-8', ...headers },
        );
      } else {
        const reason =
          status === 429 ? 'Too Many Requests' : status === 503 ? 'Service Unavailable' : 'Error';
        ctx.send(status, `<html><body><h1>${status} ${reason}</h1></body></html>`, {
          'content-type': 'text/html; charset=utf-8',
          ...headers,
        });
      }
      return true;
    }
  }
}

/** The AuthHeaderWithDomain must carry the called service's namespace, else ASMX ignores it. */
function headerNamespace(raw: string): string | null {
  const tag = /<(?:(\w+):)?AuthHeaderWithDomain\b([^>]*)>/.exec(raw);
  if (tag === null) return null;
  const prefix = tag[1];
  if (prefix === undefined) return /\bxmlns="([^"]*)"/.exec(tag[2] ?? '')?.[1] ?? null;
  return new RegExp(`\\bxmlns:${prefix}="([^"]*)"`).exec(raw)?.[1] ?? null;
}

function authenticated(o: {
  raw: string;
  doc: XmlNode;
  service: NmbrsService;
  state: EmulatorState;
}): boolean {
  const header = child(child(child(o.doc, 'Envelope'), 'Header'), 'AuthHeaderWithDomain');
  if (header === undefined || headerNamespace(o.raw) !== serviceNamespace(o.service)) return false;
  const c = o.state.credentials;
  const same = (a: string | null, b: string | undefined): boolean =>
    a !== null && b !== undefined && a.toLowerCase() === b.toLowerCase();
  return (
    same(field(header, 'Username'), c['username']) &&
    same(field(header, 'Domain'), c['domain']) &&
    field(header, 'Token') === c['token']
  );
}

/**
 * Starts the emulator. Endpoints: `POST /soap/v3/CompanyService.asmx` and
 * `/soap/v3/EmployeeService.asmx` (SOAP 1.1, `SOAPAction` required). `url` is the origin: the
 * connector's `baseUrl`. Faults: page N = the N-th company (its calls and its employees' manager calls).
 *
 * @example
 * const emu = await startNmbrsEmulator({ count: 250 });
 * const config = { ...emu.state.credentials, baseUrl: emu.url };
 */
export async function startNmbrsEmulator(o: NmbrsEmulatorOptions = {}): Promise<RunningEmulator> {
  const size = Math.max(1, Math.floor(o.companySize ?? 100));
  const today = (): string => o.today ?? realToday();
  let indexCache: { people: HrPerson[]; length: number; byId: Map<string, number> } | null = null;
  const indexOf = (people: HrPerson[]): Map<string, number> => {
    if (indexCache === null || indexCache.people !== people || indexCache.length !== people.length) {
      indexCache = { people, length: people.length, byId: new Map(people.map((p, i) => [p.id, i])) };
    }
    return indexCache.byId;
  };
  const slice = (people: readonly HrPerson[], k: number): readonly HrPerson[] =>
    people.slice(k * size, (k + 1) * size);

  const companyScope = (people: readonly HrPerson[], layout: CompanyLayout, id: string | null): Scope => {
    const k = id === null ? -1 : Number(id) - 50_001;
    const known = Number.isInteger(k) && k >= 0 && k < layout.count;
    return { page: known ? k + 1 : 1, companyPeople: known ? slice(people, k) : [], known };
  };

  const handlers: Record<EmulatedService, Record<string, Handler>> = {
    CompanyService: {
      List_GetAll: ({ people }) => renderCompanies(companyLayout(people.length, size)),
    },
    EmployeeService: {
      EmployeeType_GetList: () => ({ EmployeeType: [{ Id: '1', Description: 'Payroll' }] }),
      List_GetByCompany: ({ params, scope }) => {
        const type = field(params, 'EmployeeType');
        const active = field(params, 'active');
        let list = type === null || type === '1' ? scope.companyPeople : [];
        if (active === 'active') list = list.filter((p) => p.status === 'active');
        if (active === 'notActive') list = list.filter((p) => p.status !== 'active');
        return renderEmployeeList(list);
      },
      PersonalInfoWithoutBSN_Get_GetAllEmployeesByCompany: ({ scope }) =>
        renderPersonalInfos(scope.companyPeople),
      Function_GetAll_AllEmployeesByCompany_V2: ({ scope }) => renderFunctions(scope.companyPeople),
      Contract_GetAll_AllEmployeesByCompany: ({ scope }) => renderContracts(scope.companyPeople, today()),
      Employment_GetAll_AllEmployeesByCompany: ({ scope }) => renderEmployments(scope.companyPeople, today()),
      Manager_GetCurrent: ({ people, scope }) => {
        const person = scope.companyPeople[0];
        const managerIndex =
          person?.managerId == null ? undefined : indexOf(people as HrPerson[]).get(person.managerId);
        return renderManager(managerIndex === undefined ? undefined : people[managerIndex]);
      },
    },
  };

  const handle = async (ctx: ApiContext): Promise<void> => {
    const route = /^\/soap\/v3\/(EmployeeService|CompanyService)\.asmx$/.exec(ctx.url.pathname);
    const service = (route?.[1] ?? '') as EmulatedService | '';
    if (service === '' || ctx.method !== 'POST') {
      ctx.send(404, '<html><body><h1>The resource cannot be found.</h1></body></html>', {
        'content-type': 'text/html; charset=utf-8',
      });
      return;
    }
    const action = (ctx.headers['soapaction'] ?? '').replace(/^"|"$/g, '');
    const operation = action.startsWith(`${serviceNamespace(service)}/`)
      ? action.slice(serviceNamespace(service).length + 1)
      : null;
    let doc: XmlNode | undefined;
    try {
      doc = parseXml(ctx.body);
    } catch (error) {
      await ctx.fault(1);
      const why = error instanceof SoapParseError ? error.message : 'unreadable request';
      soapClientFault(
        ctx,
        `Server was unable to read request. ---> There is an error in XML document (1, 1): ${why}.`,
      );
      return;
    }
    const body = child(child(doc, 'Envelope'), 'Body');
    const params = operation === null ? undefined : child(body, operation);
    const handler = operation === null ? undefined : handlers[service][operation];
    const people = ctx.state.people;
    const layout = companyLayout(people.length, size);
    let scope: Scope = { page: 1, companyPeople: [], known: true };
    if (operation === 'Manager_GetCurrent') {
      const i = indexOf(people).get(field(params, 'EmployeeId') ?? '');
      scope =
        i === undefined
          ? { page: 1, companyPeople: [], known: false }
          : { page: Math.floor(i / size) + 1, companyPeople: [people[i] as HrPerson], known: true };
    } else if (operation !== null && operation !== 'List_GetAll' && operation !== 'EmployeeType_GetList') {
      scope = companyScope(people, layout, field(params, 'CompanyId') ?? field(params, 'CompanyID'));
    }
    const decision = await ctx.fault(scope.page);
    if (renderDecision(ctx, decision)) return;
    if (action === '') {
      soapClientFault(
        ctx,
        'Unable to handle request without a valid action parameter. Please supply a valid soap action.',
      );
      return;
    }
    if (operation === null || handler === undefined || params === undefined) {
      soapClientFault(ctx, `Server did not recognize the value of HTTP Header SOAPAction: ${action}.`);
      return;
    }
    if (!authenticated({ raw: ctx.body, doc, service, state: ctx.state })) {
      nmbrsFault(ctx, 1001, 'Invalid Authentication');
      return;
    }
    if (!scope.known) {
      if (operation === 'Manager_GetCurrent') nmbrsFault(ctx, 2003, 'Unauthorized employee');
      else nmbrsFault(ctx, 2004, 'Unauthorized company');
      return;
    }
    const xml = buildResponse({ service, operation, result: handler({ people, params, scope }) });
    ctx.send(200, decision.action === 'malformed' ? truncateBody(xml) : xml, {
      'content-type': 'text/xml; charset=utf-8',
    });
  };

  return startEmulator({
    provider: 'Nmbrs',
    ...(o.people === undefined ? {} : { people: o.people }),
    ...(o.count === undefined ? {} : { count: o.count }),
    ...(o.seed === undefined ? {} : { seed: o.seed }),
    ...(o.port === undefined ? {} : { port: o.port }),
    ...(o.today === undefined ? {} : { today: o.today }),
    credentials: { ...nmbrsEmulatorCredentials, ...o.credentials },
    handle,
  });
}

/** The company id the emulator gives the k-th company (0-based), for tests. */
export { companyId as nmbrsEmulatorCompanyId };
