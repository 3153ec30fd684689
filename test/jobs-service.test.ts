/** The `serve`, `demo` and `emulate` commands as real processes: start, answer, shut down on a signal. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../src/cli/program.js';
import { reportError } from '../src/cli/context.js';
import { openStore } from '../src/store/index.js';

const bin = fileURLToPath(new URL('../bin/rostersync.js', import.meta.url));
const children: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rostersync-service-'));
  dirs.push(dir);
  return dir;
}

/** Runs the CLI; `until` resolves early once stdout matches (the process keeps running). */
function cli(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    exit,
    output: () => ({ stdout, stderr }),
    until: (pattern: RegExp) =>
      new Promise<RegExpMatchArray>((resolve, reject) => {
        const check = (): void => {
          const match = pattern.exec(stdout);
          if (match) resolve(match);
        };
        child.stdout.on('data', check);
        void exit.then((code) =>
          reject(new Error(`exited ${code} before ${String(pattern)}: ${stdout}\n${stderr}`)),
        );
        check();
      }),
  };
}

/** Runs the CLI in this process (much faster than a child): stdout/stderr captured, exit code as main.ts maps it. */
function startInProcess(args: string[], env: Record<string, string>) {
  for (const [key, value] of Object.entries({ LOG_LEVEL: 'warn', ...env })) vi.stubEnv(key, value);
  let stdout = '';
  let stderr = '';
  const out = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi
    .spyOn(process.stderr, 'write')
    .mockImplementation((chunk) => ((stderr += String(chunk)), true));
  const done = (async () => {
    let code = 0;
    try {
      await buildProgram().parseAsync(['node', 'rostersync', ...args]);
    } catch (error) {
      code = reportError(error);
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
    return { code, stdout, stderr };
  })();
  return { done, stdout: () => stdout };
}

const inProcess = (args: string[], env: Record<string, string>) => startInProcess(args, env).done;

describe('serve', () => {
  it('serves HTTP on SQLite with the in-process queue and stops cleanly on SIGTERM', async () => {
    const dir = tempDir();
    const p = cli(['serve', '--port', '0'], {
      DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`,
      ROSTERSYNC_DATA_DIR: dir,
    });
    const [, url] = await p.until(/listening on (http:\/\/127\.0\.0\.1:\d+) \(sqlite\)/);
    const res = await fetch(`${url}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const unauthenticated = await fetch(`${url}/api/v1/users`);
    expect(unauthenticated.status).toBe(401);
    p.child.kill('SIGTERM');
    expect(await p.exit).toBe(0);
  });

  it('refuses the web and worker roles on SQLite, and unknown roles', async () => {
    const dir = tempDir();
    const env = { DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, ROSTERSYNC_DATA_DIR: dir };
    const worker = await inProcess(['serve', '--role', 'worker'], env);
    expect(worker.code).toBe(2);
    expect(worker.stderr).toContain('needs PostgreSQL');
    expect((await inProcess(['serve', '--role', 'cook'], env)).code).toBe(2);
  });
});

describe('demo', () => {
  it('sets up a synced tenant per source and is idempotent on restart', async () => {
    const dir = tempDir();
    const env = { DATABASE_URL: `sqlite:${join(dir, 'demo.db')}`, ROSTERSYNC_DATA_DIR: dir, PORT: '0' };
    const first = await inProcess(['demo', '--exit', '--employees', '40'], env);
    expect(first.code, first.stderr).toBe(0);
    for (const slug of ['demo-personio', 'demo-kiwihr', 'demo-nmbrs', 'demo-peoplehr', 'demo-file']) {
      expect(first.stdout).toMatch(
        new RegExp(`${slug} .* succeeded \\+\\d+ .* admin@${slug}\\.example / \\S{10,}`),
      );
    }
    expect(statSync(join(dir, 'demo-admins.json')).mode & 0o777).toBe(0o600);

    const second = await inProcess(['demo', '--exit', '--employees', '40'], env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('demo-personio');
    expect(second.stdout).not.toMatch(/succeeded \+[1-9]/);
    const store = await openStore({ url: env.DATABASE_URL });
    try {
      const tenants = await store.tenants.list();
      expect(tenants.map((t) => t.slug).sort()).toEqual([
        'demo-file',
        'demo-kiwihr',
        'demo-nmbrs',
        'demo-peoplehr',
        'demo-personio',
      ]);
      for (const t of tenants) {
        const { total } = await store.directory.listUsers(t.id, { limit: 1 });
        expect(total, t.slug).toBeGreaterThan(30);
        expect(await store.admins.list(t.id)).toHaveLength(1);
      }
    } finally {
      await store.close();
    }
  });
});

describe('emulate', () => {
  it('--json prints one line with the URL and the connector config keys; stops on SIGINT', async () => {
    const p = startInProcess(['emulate', 'nmbrs', '--employees', '5', '--json'], {});
    let line: string | undefined;
    for (let i = 0; i < 500 && line === undefined; i += 1) {
      line = /^\{.*\}\n/m.exec(p.stdout())?.[0];
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const printed = JSON.parse(line ?? 'null') as { url: string; credentials: Record<string, string> };
    expect(p.stdout().trim().split('\n')).toHaveLength(1);
    expect(Object.keys(printed.credentials).sort()).toEqual(['baseUrl', 'domain', 'token', 'username']);
    expect(printed.credentials['baseUrl']).toBe(printed.url);
    const state = (await (await fetch(`${printed.url}/_emulator/state`)).json()) as { count: number };
    expect(state.count).toBe(5);
    process.emit('SIGINT'); // vitest installs no SIGINT listener: only the command's own hears it
    expect((await p.done).code).toBe(0);
    await expect(fetch(`${printed.url}/_emulator/state`)).rejects.toThrow();
    expect((await inProcess(['emulate', 'workday'], {})).code).toBe(2);
  });
});
