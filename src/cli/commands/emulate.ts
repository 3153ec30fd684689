/** `emulate <provider>`: a local HR system to connect to (demo, tests, trying a connector without an account). */
import type { Command } from 'commander';
import { emulatedProviders, isEmulatedProvider, startEmulatorFor } from '../../engine/emulators.js';
import { CliExit, EXIT } from '../context.js';

interface EmulateOptions {
  port?: string;
  employees: string;
  seed: string;
  json?: boolean;
}

const integer = (name: string, value: string, o: { min: number; max: number }): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < o.min || n > o.max) {
    throw new CliExit(
      EXIT.usage,
      `--${name} must be a whole number from ${o.min} to ${o.max}, not '${value}'`,
    );
  }
  return n;
};

/** Runs until SIGINT/SIGTERM. */
async function emulate(provider: string, o: EmulateOptions): Promise<void> {
  if (!isEmulatedProvider(provider)) {
    throw new CliExit(
      EXIT.usage,
      `No emulator for '${provider}': choose one of ${emulatedProviders.join(', ')}.`,
    );
  }
  const started = await startEmulatorFor({
    provider,
    employees: integer('employees', o.employees, { min: 0, max: 200_000 }),
    seed: integer('seed', o.seed, { min: 0, max: 2 ** 31 - 1 }),
    ...(o.port === undefined ? {} : { port: integer('port', o.port, { min: 0, max: 65_535 }) }),
  });
  if (o.json) {
    process.stdout.write(`${JSON.stringify({ url: started.emulator.url, credentials: started.config })}\n`);
  } else {
    const sets = Object.entries(started.config)
      .map(([key, value]) => `--set ${key}=${value}`)
      .join(' ');
    process.stdout.write(
      [
        `${provider} emulator on ${started.emulator.url} (${started.emulator.state.people.length} employees, seed ${o.seed})`,
        `connect (with ROSTERSYNC_ALLOW_LOOPBACK_SOURCES=1): rostersync connect ${provider} --tenant <slug> ${sets}`,
        `control API: ${started.emulator.origin}/_emulator/state`,
        'Ctrl-C to stop.',
        '',
      ].join('\n'),
    );
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await started.emulator.close();
}

export function registerEmulate(program: Command): void {
  program
    .command('emulate <provider>')
    .description(`run a local emulator of an HR system (${emulatedProviders.join(', ')})`)
    .option('--port <n>', 'listen port on 127.0.0.1 (default: a free one)')
    .option('--employees <n>', 'employees in the seeded roster', '200')
    .option('--seed <n>', 'roster generator seed', '1')
    .option('--json', 'print one line {"url","credentials"} (credentials keyed like the connector config)')
    .action((provider: string, o: EmulateOptions) => emulate(provider, o));
}
