/** Emulator server framework: a loopback node:http server, a test-only control API and fault injection. */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generatePerson, generateRoster } from './generator.js';
import type { HrPerson } from './generator.js';
import { EmulatorControlError, controlRoute } from './emulator-control.js';

/** Faults an emulator injects into its API (never into the control API). */
export interface EmulatorFaults {
  /** Added to every API response. */
  latencyMs: number;
  /** Page N answers `status` `times` times (Infinity = always; `"Infinity"` or -1 over the control API). */
  failPages: Record<number, { status: number; times: number; retryAfterSeconds?: number }>;
  /** Every Nth API request gets 429 + Retry-After. */
  rateLimit: { everyNth: number; retryAfterSeconds: number } | null;
  /** Page N returns a truncated body. */
  malformedPages: number[];
  /** Page N: socket destroyed mid-response. */
  resetPages: number[];
  /** Credentials refused. */
  revoked: boolean;
}

/** The mutable state of one emulator; tests may read and change it directly. */
export interface EmulatorState {
  /** Roster order. */
  people: HrPerson[];
  faults: EmulatorFaults;
  /** API requests served (control API not counted). */
  requests: number;
  /** What connects (keys = connector config field names). */
  credentials: Record<string, string>;
  webhookUrl: string | null;
}

export type FaultDecision =
  | { action: 'ok' }
  | { action: 'revoked' }
  | { action: 'status'; status: number; headers: Record<string, string> }
  | { action: 'malformed' }
  | { action: 'reset' };

/** One API request, handed to the provider's `handle`. */
export interface ApiContext {
  readonly state: EmulatorState;
  readonly method: string;
  readonly url: URL;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: string;
  /** Call once per API request with its 1-based page (1 for non-paged): waits latency, counts, returns the fault to render. */
  fault(page: number): Promise<FaultDecision>;
  send(status: number, body: string, headers?: Record<string, string>): void;
  json(status: number, value: unknown, headers?: Record<string, string>): void;
  /** For 'reset': sends headers and part of a body, then destroys the socket. */
  destroy(): void;
}

export type EmulatorChange = { kind: 'hire' | 'update' | 'terminate' | 'rehire'; person: HrPerson };

export interface EmulatorOptions {
  readonly provider: string;
  /** Else generateRoster({ count, seed }). */
  readonly people?: HrPerson[];
  /** Default 50. */
  readonly count?: number;
  /** Default 1. */
  readonly seed?: number;
  /** 0 = random; host is always 127.0.0.1. */
  readonly port?: number;
  readonly credentials: Record<string, string>;
  /** The provider's API. */
  readonly handle: (ctx: ApiContext) => Promise<void> | void;
  /** Base URL an admin would type, from the server origin (e.g. origin + '/api/graphql'). */
  readonly publicUrl?: (origin: string) => string;
  /** Called after every data change (People HR sends its webhook from here). */
  readonly onChange?: (change: EmulatorChange, state: EmulatorState) => void | Promise<void>;
  /** Passed to the generator (default its fixed date); also the default leaving/rehire date (default: the real today). */
  readonly today?: string;
  /** The latency timer; tests inject one to count waits instead of sleeping. */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface RunningEmulator {
  /** publicUrl(origin) or origin. */
  readonly url: string;
  /** http://127.0.0.1:PORT */
  readonly origin: string;
  readonly state: EmulatorState;
  readonly control: {
    hire(p?: Partial<HrPerson>): Promise<HrPerson>;
    update(id: string, patch: Partial<HrPerson>): Promise<HrPerson>;
    terminate(id: string, leavingDate?: string): Promise<HrPerson>;
    rehire(id: string): Promise<HrPerson>;
    setFaults(f: Partial<EmulatorFaults>): void;
    resetFaults(): void;
    setPeople(people: HrPerson[]): void;
  };
  close(): Promise<void>;
}

export { EmulatorControlError, parseFaultsPatch } from './emulator-control.js';

/** No faults at all: a fresh object each call (tests mutate it). */
export const noFaults = (): EmulatorFaults => ({
  latencyMs: 0,
  failPages: {},
  rateLimit: null,
  malformedPages: [],
  resetPages: [],
  revoked: false,
});

/** Half of a body: what a 'malformed' page sends (a JSON or XML document cut in the middle). */
export const truncateBody = (body: string): string => body.slice(0, Math.max(1, Math.floor(body.length / 2)));

const MAX_BODY = 10 * 1024 * 1024;
const realToday = (): string => new Date().toISOString().slice(0, 10);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new EmulatorControlError(413, 'request body over 10 MiB'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

/**
 * Starts an emulator on 127.0.0.1. Everything under `/_emulator/` is the control API; every other
 * request goes to `handle` (a throw there → 500 with a JSON body).
 *
 * @example
 * const emu = await startEmulator({ provider: 'Personio', seed: 7, count: 120, credentials: { clientId: 'id', clientSecret: 's' },
 *   handle: async (ctx) => { const d = await ctx.fault(1); if (d.action === 'ok') ctx.json(200, { success: true }); } });
 */
export async function startEmulator(o: EmulatorOptions): Promise<RunningEmulator> {
  const seed = o.seed ?? 1;
  const initialPeople = (): HrPerson[] =>
    o.people !== undefined
      ? o.people.map((p) => ({ ...p, teams: [...p.teams] }))
      : generateRoster({ count: o.count ?? 50, seed, ...(o.today === undefined ? {} : { today: o.today }) });
  const state: EmulatorState = {
    people: initialPeople(),
    faults: noFaults(),
    requests: 0,
    credentials: { ...o.credentials },
    webhookUrl: null,
  };
  const changeDate = (): string => o.today ?? realToday();

  const find = (id: string): HrPerson => {
    const person = state.people.find((p) => p.id === id);
    if (person === undefined) throw new EmulatorControlError(404, `no employee with id ${id}`);
    return person;
  };
  const changed = async (kind: EmulatorChange['kind'], person: HrPerson): Promise<HrPerson> => {
    await o.onChange?.({ kind, person }, state);
    return person;
  };

  const control: RunningEmulator['control'] = {
    async hire(partial = {}) {
      const maxIndex = state.people.reduce((m, p) => Math.max(m, Number(p.id) - 1001), -1);
      const index = Math.max(maxIndex + 1, state.people.length);
      const taken = new Set(state.people.map((p) => p.email.toLowerCase()));
      const person: HrPerson = {
        ...generatePerson({ seed, index, today: changeDate(), taken }),
        managerId: state.people[0]?.id ?? null,
        ...partial,
      };
      if (state.people.some((p) => p.id === person.id)) {
        throw new EmulatorControlError(409, `an employee with id ${person.id} already exists`);
      }
      state.people.push(person);
      return changed('hire', person);
    },
    async update(id, patch) {
      const person = find(id);
      Object.assign(person, patch, { id: person.id });
      return changed('update', person);
    },
    async terminate(id, leavingDate) {
      const person = find(id);
      person.status = 'inactive';
      person.leavingDate = leavingDate ?? changeDate();
      return changed('terminate', person);
    },
    async rehire(id) {
      const person = find(id);
      person.status = 'active';
      person.leavingDate = null;
      person.currentHiredOn = changeDate();
      return changed('rehire', person);
    },
    setFaults(f) {
      state.faults = { ...state.faults, ...f };
    },
    resetFaults() {
      state.faults = noFaults();
    },
    setPeople(people) {
      state.people = people;
    },
  };

  const fault = async (page: number): Promise<FaultDecision> => {
    const f = state.faults;
    if (f.latencyMs > 0) await (o.sleep ?? sleep)(f.latencyMs);
    state.requests += 1;
    if (f.revoked) return { action: 'revoked' };
    if (f.rateLimit !== null && f.rateLimit.everyNth > 0 && state.requests % f.rateLimit.everyNth === 0) {
      return {
        action: 'status',
        status: 429,
        headers: { 'retry-after': String(f.rateLimit.retryAfterSeconds) },
      };
    }
    const rule = f.failPages[page];
    if (rule !== undefined && rule.times > 0) {
      rule.times -= 1;
      const headers: Record<string, string> =
        rule.retryAfterSeconds === undefined ? {} : { 'retry-after': String(rule.retryAfterSeconds) };
      return { action: 'status', status: rule.status, headers };
    }
    if (f.malformedPages.includes(page)) return { action: 'malformed' };
    if (f.resetPages.includes(page)) return { action: 'reset' };
    return { action: 'ok' };
  };

  const server = createServer({ keepAlive: true }, (req, res) => {
    void serve(req, res);
  });

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', origin);
    const send = (status: number, body: string, headers: Record<string, string> = {}): void => {
      if (res.headersSent || res.destroyed) return;
      res.writeHead(status, { 'content-length': String(Buffer.byteLength(body)), ...headers });
      res.end(body);
    };
    const json = (status: number, value: unknown, headers: Record<string, string> = {}): void =>
      send(status, JSON.stringify(value), { 'content-type': 'application/json; charset=utf-8', ...headers });
    try {
      const body = await readBody(req);
      if (url.pathname.startsWith('/_emulator/')) {
        await controlRoute({
          method: req.method ?? 'GET',
          url,
          body,
          json,
          provider: o.provider,
          state,
          control,
          reset: () => {
            state.people = initialPeople();
            state.faults = noFaults();
            state.requests = 0;
          },
        });
        return;
      }
      const headers: Record<string, string | undefined> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
      }
      const ctx: ApiContext = {
        state,
        method: req.method ?? 'GET',
        url,
        headers,
        body,
        fault,
        send,
        json,
        destroy: () => {
          if (!res.headersSent) {
            res.writeHead(200, { 'content-type': 'application/json', 'content-length': '4096' });
            res.write('{"data":[');
          }
          res.socket?.destroy();
        },
      };
      await o.handle(ctx);
      if (!res.headersSent && !res.destroyed) json(500, { error: 'emulator handler sent no response' });
    } catch (error) {
      const status = error instanceof EmulatorControlError ? error.status : 500;
      const message = error instanceof Error ? error.message : String(error);
      json(status, { error: status === 500 ? 'emulator handler failed' : 'bad control request', message });
    }
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: o.publicUrl === undefined ? origin : o.publicUrl(origin),
    origin,
    state,
    control,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
