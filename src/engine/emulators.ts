/** The local HR emulators, for the CLI (`emulate`, `demo`) which imports only the engine. */
import { stringify } from 'csv-stringify/sync';
import { generateRoster, type HrPerson, type RunningEmulator } from '../sources/_shared/index.js';
import { employeeColumns } from '../sources/file/map.js';
import { startKiwihrEmulator } from '../sources/kiwihr/emulator.js';
import { startNmbrsEmulator } from '../sources/nmbrs/emulator.js';
import { startPeopleHrEmulator } from '../sources/peoplehr/emulator.js';
import { startPersonioEmulator } from '../sources/personio/emulator.js';

export { startKiwihrEmulator, startNmbrsEmulator, startPeopleHrEmulator, startPersonioEmulator };
export type { RunningEmulator };

/** Providers with an emulator (the file source has none: it is an upload). */
export const emulatedProviders = ['personio', 'kiwihr', 'nmbrs', 'peoplehr'] as const;
export type EmulatedProvider = (typeof emulatedProviders)[number];

/** The connector config key that holds the emulator's address, per provider. */
const urlKey: Readonly<Record<EmulatedProvider, string>> = {
  personio: 'apiUrl',
  kiwihr: 'url',
  nmbrs: 'baseUrl',
  peoplehr: 'baseUrl',
};

export const isEmulatedProvider = (value: string): value is EmulatedProvider =>
  (emulatedProviders as readonly string[]).includes(value);

export interface StartedEmulator {
  readonly provider: EmulatedProvider;
  readonly emulator: RunningEmulator;
  /** What `connect` takes: the emulator's credentials plus its address, keyed like the connector's config. */
  readonly config: Readonly<Record<string, string>>;
}

/**
 * Starts the emulator of `provider` on 127.0.0.1 with a seeded roster of `employees` people.
 * Connecting to it needs ROSTERSYNC_ALLOW_LOOPBACK_SOURCES=1.
 *
 * @example
 * const { emulator, config } = await startEmulatorFor({ provider: 'personio', employees: 200, seed: 1 });
 * await connect(deps, { tenantId, provider: 'personio', config });
 */
export async function startEmulatorFor(o: {
  provider: EmulatedProvider;
  port?: number;
  employees?: number;
  seed?: number;
}): Promise<StartedEmulator> {
  const options = {
    ...(o.port === undefined ? {} : { port: o.port }),
    ...(o.employees === undefined ? {} : { count: o.employees }),
    ...(o.seed === undefined ? {} : { seed: o.seed }),
  };
  const start: Record<EmulatedProvider, () => Promise<RunningEmulator>> = {
    personio: () => startPersonioEmulator(options),
    kiwihr: () => startKiwihrEmulator(options),
    nmbrs: () => startNmbrsEmulator(options),
    peoplehr: () => startPeopleHrEmulator(options),
  };
  const emulator = await start[o.provider]();
  return {
    provider: o.provider,
    emulator,
    config: { ...emulator.state.credentials, [urlKey[o.provider]]: emulator.url },
  };
}

/** The key of `config` that holds the HR system's address (reconnecting when an emulator moved). */
export const emulatorUrlKey = (provider: EmulatedProvider): string => urlKey[provider];

/** A seeded roster as an upload CSV in the documented columns (the demo's file tenant). */
export function demoEmployeeCsv(o: { employees: number; seed: number }): string {
  const people: HrPerson[] = generateRoster({ count: o.employees, seed: o.seed });
  const rows = people.map((p) => ({
    employee_id: p.id,
    email: p.email,
    first_name: p.firstName,
    last_name: p.lastName,
    birth_date: p.birthDate,
    gender: p.gender,
    employee_number: p.employeeNumber,
    job_title: p.position,
    department: p.department,
    location: p.location,
    manager_employee_id: p.managerId ?? '',
    groups: p.teams.join('|'),
    first_hired_on: p.firstHiredOn,
    current_hired_on: p.currentHiredOn,
    leaving_date: p.leavingDate ?? '',
    phone_number: p.phone,
    contract_type: p.contractType,
    status: p.status,
  }));
  return stringify(rows, { header: true, columns: [...employeeColumns] });
}
