// Local People HR emulator: POST /Employee actions, People HR's error envelopes, faults, outgoing webhooks.
import type { ApiContext, EmulatorChange, EmulatorState, RunningEmulator } from '../_shared/emulator-kit.js';
import { startEmulator, truncateBody } from '../_shared/emulator-kit.js';
import type { HrPerson } from '../_shared/generator.js';
import { isLeaver, renderEmployee } from './emulator-render.js';

/** The emulator's default key (UUID-shaped like People HR's); the demo and tests connect with it. */
export const PEOPLEHR_EMULATOR_API_KEY = '0d5c8e3a-7f41-4b2e-9a6d-5e1f2c3b4a90';

const SUCCESS = 'The request processed successfully.';

/** The webhook packet People HR documents (`ActionId`, `Action`, `EmployeeId`); sent as JSON (inferred). */
export interface PeopleHrWebhookPacket {
  readonly ActionId: number;
  readonly Action: string;
  readonly EmployeeId: string;
}

const webhookActions: Record<EmulatorChange['kind'], { id: number; name: string }> = {
  hire: { id: 1, name: 'New Starter Added' },
  update: { id: 2, name: 'Employee Detail Updated' },
  terminate: { id: 3, name: 'Marked Leaver' },
  // People HR documents no "rehired" event: reinstating someone edits their record.
  rehire: { id: 2, name: 'Employee Detail Updated' },
};

export interface PeopleHrEmulatorOptions {
  readonly port?: number;
  readonly count?: number;
  readonly seed?: number;
  readonly people?: HrPerson[];
  readonly credentials?: Partial<{ apiKey: string }>;
  /** Generator date and default leaving date (see the kit); also decides who counts as a leaver. */
  readonly today?: string;
  /** Actions the key lacks permission for: answered with People HR's "No access on employee schema.". */
  readonly deniedActions?: readonly string[];
  /** Per webhook delivery, default 5 s; a failed delivery is counted, never thrown. */
  readonly webhookTimeoutMs?: number;
}

/** A running People HR emulator: the kit's emulator plus webhook delivery counts and permissions. */
export interface PeopleHrEmulator extends RunningEmulator {
  readonly webhooks: { sent: number; failed: number; lastError: string | null };
  /** Actions refused for lack of permission; tests may add and remove entries. */
  readonly deniedActions: Set<string>;
}

const envelope = (o: { status: number; message: string; result?: unknown }) => ({
  isError: o.status !== 0,
  Status: o.status,
  Message: o.message,
  Result: o.result ?? null,
});

/** Path forms seen in clients: `/Employee`, `/Employee/<Action>`, with or without the swagger's `/v3.1`. */
const parsePath = (pathname: string): { resource: string; action: string | null } | null => {
  const parts = pathname.split('/').filter((x) => x !== '');
  if (parts[0]?.toLowerCase() === 'v3.1') parts.shift();
  if (parts.length < 1 || parts.length > 2) return null;
  return { resource: (parts[0] ?? '').toLowerCase(), action: parts[1] ?? null };
};

const parseBody = (text: string): Record<string, unknown> | { error: ReturnType<typeof envelope> } => {
  if (text.trim() === '') return { error: envelope({ status: 7, message: 'No json data found.' }) };
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // answered below like People HR does
  }
  return { error: envelope({ status: 9, message: 'Invalid json data.' }) };
};

const renderAll = (o: { people: readonly HrPerson[]; includeLeavers: boolean; today: string }): string => {
  const byId = new Map(o.people.map((p) => [p.id, p]));
  const parts: string[] = [];
  for (const p of o.people) {
    if (o.includeLeavers || !isLeaver(p, o.today)) parts.push(JSON.stringify(renderEmployee(p, byId)));
  }
  if (parts.length === 0) return JSON.stringify(envelope({ status: 10, message: 'No record found.' }));
  // Built from per-employee strings: one giant object tree for 10k people would double the memory.
  return `{"isError":false,"Status":0,"Message":"${SUCCESS}","Result":[${parts.join(',')}]}`;
};

const employeeByIdAnswer = (
  state: EmulatorState,
  body: Record<string, unknown>,
): ReturnType<typeof envelope> => {
  const raw = body['EmployeeId'];
  if (raw === undefined) return envelope({ status: 5, message: 'EmployeeId is missing.' });
  if (typeof raw !== 'string' && typeof raw !== 'number') {
    return envelope({ status: 5, message: 'EmployeeId contains invalid data.' });
  }
  const id = String(raw).trim();
  if (id === '') return envelope({ status: 5, message: 'EmployeeId cannot be empty.' });
  if (id.length > 15) return envelope({ status: 5, message: 'EmployeeId contains more than 15 characters.' });
  const person = state.people.find((p) => p.id === id);
  if (person === undefined) return envelope({ status: 5, message: 'EmployeeId does not exists.' });
  const byId = new Map(state.people.map((p) => [p.id, p]));
  return envelope({ status: 0, message: SUCCESS, result: renderEmployee(person, byId) });
};

/**
 * Starts the People HR emulator on 127.0.0.1. Admins would enter `url` as the base URL override;
 * `state.credentials.apiKey` is the key it accepts. Every control-API change POSTs a webhook packet
 * to `state.webhookUrl` (set with `PUT /_emulator/webhook`) before the control call returns.
 *
 * @example
 * const emu = await startPeopleHrEmulator({ count: 250, seed: 7 });
 * const config = { apiKey: emu.state.credentials.apiKey, baseUrl: emu.url };
 */
export async function startPeopleHrEmulator(o: PeopleHrEmulatorOptions = {}): Promise<PeopleHrEmulator> {
  const webhooks = { sent: 0, failed: 0, lastError: null as string | null };
  const deniedActions = new Set(o.deniedActions ?? []);
  const today = (): string => o.today ?? new Date().toISOString().slice(0, 10);

  // People HR reports every API-level error inside an HTTP 200 envelope.
  const answer = (ctx: ApiContext, value: unknown): void => {
    ctx.json(200, value, { 'cache-control': 'private' });
  };

  const handle = async (ctx: ApiContext): Promise<void> => {
    const decision = await ctx.fault(1);
    if (decision.action === 'reset') return ctx.destroy();
    if (decision.action === 'revoked') {
      return answer(ctx, envelope({ status: 5, message: 'API key does not exists.' }));
    }
    if (decision.action === 'status') {
      const message =
        decision.status === 429
          ? 'API rate limit exceeded: 30 calls per minute per IP address.'
          : 'The service is unavailable.';
      return ctx.json(decision.status, { Message: message }, decision.headers);
    }
    const route = parsePath(ctx.url.pathname);
    if (route === null || route.resource !== 'employee') {
      return ctx.json(404, {
        Message: `No HTTP resource was found that matches the request URI '${ctx.url.pathname}'.`,
      });
    }
    if (ctx.method !== 'POST') {
      return ctx.json(405, {
        Message: `The requested resource does not support http method '${ctx.method}'.`,
      });
    }
    const body = parseBody(ctx.body);
    if ('error' in body) return answer(ctx, body.error);
    const key = typeof body['APIKey'] === 'string' ? body['APIKey'].trim() : '';
    if (key === '') return answer(ctx, envelope({ status: 1, message: 'API key is missing.' }));
    if (key !== ctx.state.credentials['apiKey'])
      return answer(ctx, envelope({ status: 2, message: 'Invalid API Key.' }));
    const action = body['Action'] ?? route.action;
    if (action === undefined || action === null)
      return answer(ctx, envelope({ status: 3, message: 'Action is missing.' }));
    if (typeof action !== 'string' || action.trim() === '') {
      return answer(ctx, envelope({ status: 4, message: 'Action cannot be empty.' }));
    }
    if (action !== 'GetAllEmployeeDetail' && action !== 'GetEmployeeDetailById') {
      return answer(ctx, envelope({ status: 4, message: 'Invalid Action.' }));
    }
    if (deniedActions.has(action))
      return answer(ctx, envelope({ status: 5, message: 'No access on employee schema.' }));

    let text: string;
    if (action === 'GetAllEmployeeDetail') {
      const include = body['IncludeLeavers'];
      const includeLeavers =
        include === true || (typeof include === 'string' && include.toLowerCase() === 'true');
      text = renderAll({ people: ctx.state.people, includeLeavers, today: today() });
    } else {
      text = JSON.stringify(employeeByIdAnswer(ctx.state, body));
    }
    if (decision.action === 'malformed') text = truncateBody(text);
    ctx.send(200, text, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'private' });
  };

  const deliver = async (change: EmulatorChange, state: EmulatorState): Promise<void> => {
    if (state.webhookUrl === null) return;
    const what = webhookActions[change.kind];
    const packet: PeopleHrWebhookPacket = {
      ActionId: what.id,
      Action: what.name,
      EmployeeId: change.person.id,
    };
    try {
      const res = await fetch(state.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(packet),
        signal: AbortSignal.timeout(o.webhookTimeoutMs ?? 5_000),
      });
      await res.arrayBuffer();
      if (res.ok) webhooks.sent += 1;
      else {
        webhooks.failed += 1;
        webhooks.lastError = `receiver answered ${res.status}`;
      }
    } catch (error) {
      webhooks.failed += 1;
      webhooks.lastError = error instanceof Error ? error.message : String(error);
    }
  };

  const running = await startEmulator({
    provider: 'People HR',
    credentials: { apiKey: o.credentials?.apiKey ?? PEOPLEHR_EMULATOR_API_KEY },
    handle,
    onChange: deliver,
    ...(o.people === undefined ? {} : { people: o.people }),
    ...(o.count === undefined ? {} : { count: o.count }),
    ...(o.seed === undefined ? {} : { seed: o.seed }),
    ...(o.port === undefined ? {} : { port: o.port }),
    ...(o.today === undefined ? {} : { today: o.today }),
  });
  return Object.assign(running, { webhooks, deniedActions });
}
