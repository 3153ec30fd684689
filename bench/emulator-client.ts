/** Starts `emulator-process.ts` as a child process and drives it through its `/_emulator` control API. */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { EmulatorAnnouncement } from './emulator-process.js';

const entry = fileURLToPath(new URL('./emulator-process.ts', import.meta.url));

/** An emulator in its own process; every call goes over loopback HTTP, as a real HR system would. */
export interface EmulatorProcess extends EmulatorAnnouncement {
  /** One control-API call; throws on a non-2xx answer (a bench setup bug, not a measurement). */
  control<T = unknown>(o: {
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
    path: string;
    body?: unknown;
  }): Promise<T>;
  /** Regenerates the roster from the seed and clears faults: the next repetition starts from the same data. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Spawns the emulator with `node --import tsx` and waits for its announcement line.
 *
 * @example
 * const emu = await startEmulatorProcess({ provider: 'personio', count: 10_000, seed: 7 });
 * await emu.control({ method: 'POST', path: '/_emulator/employees/1002/terminate' });
 */
export async function startEmulatorProcess(o: {
  provider: 'personio' | 'peoplehr';
  count: number;
  seed: number;
}): Promise<EmulatorProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      entry,
      '--provider',
      o.provider,
      '--count',
      String(o.count),
      '--seed',
      String(o.seed),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout });
  const announcement = await new Promise<EmulatorAnnouncement>((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`the ${o.provider} emulator exited (${code}) before it listened`)),
    );
    lines.once('line', (line) => resolve(JSON.parse(line) as EmulatorAnnouncement));
  });

  const control = async <T>(c: { method: string; path: string; body?: unknown }): Promise<T> => {
    const res = await fetch(`${announcement.origin}${c.path}`, {
      method: c.method,
      ...(c.body === undefined
        ? {}
        : { body: JSON.stringify(c.body), headers: { 'content-type': 'application/json' } }),
    });
    const text = await res.text();
    if (!res.ok)
      throw new Error(`emulator ${c.method} ${c.path} answered ${res.status}: ${text.slice(0, 200)}`);
    return JSON.parse(text) as T;
  };

  return {
    ...announcement,
    control,
    reset: async () => {
      await control({ method: 'POST', path: '/_emulator/reset' });
    },
    close: async () => {
      lines.close();
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
