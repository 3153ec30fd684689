/** Entry point: one HR emulator in its own process on 127.0.0.1, announced as one JSON line on stdout. */
import { startEmulatorFor, isEmulatedProvider } from '../src/engine/emulators.js';
import type { RunningEmulator } from '../src/engine/emulators.js';
import { startPeopleHrEmulator } from '../src/sources/peoplehr/emulator.js';
import { startPersonioEmulator } from '../src/sources/personio/emulator.js';
import { benchToday } from './constants.js';
import { personioBenchAttributes } from './roster.js';

/** What the process prints once it listens: the parent connects with `config` and drives `/_emulator`. */
export interface EmulatorAnnouncement {
  readonly provider: string;
  readonly url: string;
  readonly origin: string;
  readonly config: Readonly<Record<string, string>>;
  readonly count: number;
  readonly pid: number;
}

const arg = (name: string): string | undefined => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? undefined : process.argv[at + 1];
};

/**
 * A fixed `today` keeps the roster, Personio's `onboarding` status and the control API's hire and
 * leaving dates identical from run to run (the generator's default date, which the engine's bench
 * clock also uses).
 */
const start = async (o: { provider: string; count: number; seed: number }): Promise<EmulatorAnnouncement> => {
  if (!isEmulatedProvider(o.provider)) throw new Error(`no emulator for '${o.provider}'`);
  let emulator: RunningEmulator;
  let config: Record<string, string>;
  if (o.provider === 'personio') {
    emulator = await startPersonioEmulator({
      count: o.count,
      seed: o.seed,
      today: benchToday,
      attributes: personioBenchAttributes,
    });
    config = { ...emulator.state.credentials, apiUrl: emulator.url };
  } else if (o.provider === 'peoplehr') {
    emulator = await startPeopleHrEmulator({ count: o.count, seed: o.seed, today: benchToday });
    config = { ...emulator.state.credentials, baseUrl: emulator.url };
  } else {
    const started = await startEmulatorFor({ provider: o.provider, employees: o.count, seed: o.seed });
    emulator = started.emulator;
    config = { ...started.config };
  }
  const close = (): void => {
    void emulator.close().finally(() => process.exit(0));
  };
  process.on('SIGTERM', close);
  process.on('SIGINT', close);
  // The parent holds our stdin: when it dies without a signal, stdin ends and we go too.
  process.stdin.on('end', close);
  process.stdin.resume();
  return {
    provider: o.provider,
    url: emulator.url,
    origin: emulator.origin,
    config,
    count: emulator.state.people.length,
    pid: process.pid,
  };
};

const announcement = await start({
  provider: arg('provider') ?? 'personio',
  count: Number(arg('count') ?? '1000'),
  seed: Number(arg('seed') ?? '7'),
});
process.stdout.write(`${JSON.stringify(announcement)}\n`);
