/** The emulators' control API (`/_emulator/*`): hire, update, terminate, rehire, faults, webhook, reset. */
import type { EmulatorFaults, EmulatorState, RunningEmulator } from './emulator-kit.js';
import type { HrPerson } from './generator.js';

/** A control-API failure with its HTTP status (400 bad body, 404 unknown employee). */
export class EmulatorControlError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'EmulatorControlError';
    this.status = status;
  }
}

// prettier-ignore
const personKeys = new Set<string>([
  'id', 'employeeNumber', 'firstName', 'lastName', 'email', 'gender', 'birthDate', 'firstHiredOn',
  'currentHiredOn', 'department', 'position', 'location', 'teams', 'managerId', 'phone', 'contractType',
  'status', 'leavingDate',
]);

/** Checks a JSON person patch: known keys only (a typo should fail the test, not be ignored), strings or null, teams a string list. */
export function parsePersonPatch(value: Record<string, unknown>): Partial<HrPerson> {
  for (const [key, v] of Object.entries(value)) {
    if (!personKeys.has(key)) throw new EmulatorControlError(400, `unknown employee field '${key}'`);
    const okValue =
      key === 'teams'
        ? Array.isArray(v) && v.every((t) => typeof t === 'string')
        : typeof v === 'string' || v === null;
    if (!okValue) throw new EmulatorControlError(400, `bad value for employee field '${key}'`);
  }
  return value;
}

/** JSON has no Infinity: the control API accepts "Infinity", -1 or null for "always". */
const parseTimes = (value: unknown): number =>
  value === 'Infinity' || value === null || value === -1 ? Infinity : Number(value);

/** Normalises a faults patch from JSON (page keys become numbers, "always" becomes Infinity). */
export function parseFaultsPatch(value: unknown): Partial<EmulatorFaults> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new EmulatorControlError(400, 'faults must be a JSON object');
  }
  const patch = { ...(value as Record<string, unknown>) } as Partial<EmulatorFaults> &
    Record<string, unknown>;
  const failPages = patch['failPages'];
  if (failPages !== undefined) {
    if (failPages === null || typeof failPages !== 'object')
      throw new EmulatorControlError(400, 'failPages must be an object');
    const out: EmulatorFaults['failPages'] = {};
    for (const [page, rule] of Object.entries(
      failPages as Record<string, { status: number; times: unknown }>,
    )) {
      out[Number(page)] = { ...rule, status: Number(rule.status), times: parseTimes(rule.times) };
    }
    patch.failPages = out;
  }
  return patch;
}

/** The faults as JSON can carry them (Infinity → "Infinity"). */
export const faultsJson = (faults: EmulatorFaults): unknown =>
  JSON.parse(JSON.stringify(faults, (_k, v: unknown) => (v === Infinity ? 'Infinity' : v)));

/**
 * Serves one control-API request (`/_emulator/...`). Test-only, no auth: the server binds to loopback.
 * Data changes go through `control`, so `onChange` fires for HTTP and in-process changes alike.
 */
export async function controlRoute(r: {
  method: string;
  url: URL;
  body: string;
  json: (status: number, value: unknown) => void;
  provider: string;
  state: EmulatorState;
  control: RunningEmulator['control'];
  /** Regenerates people from the seed (or the given people), clears faults and the request count. */
  reset: () => void;
}): Promise<void> {
  const parse = (): Record<string, unknown> => {
    if (r.body.trim() === '') return {};
    try {
      const value: unknown = JSON.parse(r.body);
      if (value !== null && typeof value === 'object' && !Array.isArray(value))
        return value as Record<string, unknown>;
    } catch {
      // fall through to the 400 below
    }
    throw new EmulatorControlError(400, 'body must be a JSON object');
  };
  const route = `${r.method} ${r.url.pathname.replace(/\/+$/, '')}`;
  const employee = /^(PATCH|POST) \/_emulator\/employees\/([^/]+)(?:\/(terminate|rehire))?$/.exec(route);
  if (route === 'GET /_emulator/state') {
    const withPeople = r.url.searchParams.get('people') === '1';
    r.json(200, {
      provider: r.provider,
      count: r.state.people.length,
      active: r.state.people.filter((p) => p.status === 'active').length,
      requests: r.state.requests,
      faults: faultsJson(r.state.faults),
      webhookUrl: r.state.webhookUrl,
      ...(withPeople ? { people: r.state.people } : {}),
    });
  } else if (route === 'POST /_emulator/employees') {
    r.json(201, await r.control.hire(parsePersonPatch(parse())));
  } else if (employee !== null && employee[1] === 'PATCH' && employee[3] === undefined) {
    r.json(200, await r.control.update(decodeURIComponent(employee[2] ?? ''), parsePersonPatch(parse())));
  } else if (employee !== null && employee[1] === 'POST' && employee[3] === 'terminate') {
    const leavingDate = parse()['leavingDate'];
    if (leavingDate !== undefined && typeof leavingDate !== 'string') {
      throw new EmulatorControlError(400, 'leavingDate must be an ISO date string');
    }
    r.json(200, await r.control.terminate(decodeURIComponent(employee[2] ?? ''), leavingDate));
  } else if (employee !== null && employee[1] === 'POST' && employee[3] === 'rehire') {
    r.json(200, await r.control.rehire(decodeURIComponent(employee[2] ?? '')));
  } else if (route === 'PUT /_emulator/faults') {
    r.control.setFaults(parseFaultsPatch(parse()));
    r.json(200, faultsJson(r.state.faults));
  } else if (route === 'DELETE /_emulator/faults') {
    r.control.resetFaults();
    r.json(200, faultsJson(r.state.faults));
  } else if (route === 'PUT /_emulator/webhook') {
    const url = parse()['url'];
    if (url !== null && typeof url !== 'string')
      throw new EmulatorControlError(400, 'url must be a string or null');
    r.state.webhookUrl = url;
    r.json(200, { webhookUrl: r.state.webhookUrl });
  } else if (route === 'POST /_emulator/reset') {
    r.reset();
    r.json(200, { count: r.state.people.length });
  } else {
    throw new EmulatorControlError(404, `no control route ${route}`);
  }
}
