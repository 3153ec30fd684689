/**
 * Case 14, crash: two worker processes race for the same 5 000-employee sync and one is SIGKILLed at a
 * random moment (fetch, plan or apply). Every time: the database is intact, the killed run is marked
 * interrupted, the survivor converges exactly (0 duplicates, 0 spurious deactivations, every employee
 * as a clean sync has them), and the apply log shows no two processes ever applying at once.
 * Default: 1 kill per database of a 2 000-employee sync (the suite's time budget); RELIABILITY_FULL=1 runs the 20 kills
 * of a 5 000-employee sync.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect, runSync, type EngineDeps } from '../../src/engine/index.js';
import { startEmulatorFor, type StartedEmulator } from '../../src/engine/emulators.js';
import type { Tenant } from '../../src/store/index.js';
import { testDeps, testKey } from '../support/engine.js';
import { describeEachRawDb } from './support/dialects.js';
import { allUsers } from './support/world.js';

const full = process.env.RELIABILITY_FULL === '1';
const KILLS = full ? 20 : 1;
// The 5 000 employees under RELIABILITY_FULL=1; 2 000 keep the default run within budget.
const EMPLOYEES = full ? 5_000 : 2_000;
const LEASE_TTL_MS = 1_500;
const child = fileURLToPath(new URL('./support/crash-child.ts', import.meta.url));

/** Reproducible kill moments (mulberry32), spread evenly at random over [min, max]. */
function killDelays(o: { seed: number; count: number; min: number; max: number }): number[] {
  let a = o.seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: o.count }, () => Math.round(o.min + next() * (o.max - o.min)));
}

interface Worker {
  readonly owner: string;
  readonly proc: ChildProcess;
  readonly exited: Promise<void>;
  readonly ready: Promise<void>;
}

function spawnWorker(env: Record<string, string>, owner: string): Worker {
  const proc = spawn(process.execPath, ['--import', 'tsx', child], {
    env: { ...process.env, ...env, CRASH_OWNER: owner },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  (proc as ChildProcess & { stderrText?: () => string }).stderrText = () => err;
  proc.stderr?.setEncoding('utf8').on('data', (c: string) => (err += c));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    proc.stdout?.setEncoding('utf8').on('data', (c: string) => {
      if (c.includes('"event":"ready"')) resolve();
    });
    proc.once('exit', (code) => reject(new Error(`worker ${owner} exited (${code}) before ready: ${err}`)));
  });
  ready.catch(() => undefined);
  return { owner, proc, exited, ready };
}

interface LogLine {
  readonly event: string;
  readonly owner: string;
  readonly at: number;
  readonly token?: number | null;
}

/** Apply intervals per owner; a killed owner's open batch ends at its kill. None of two owners may overlap. */
function overlaps(lines: readonly LogLine[]): string[] {
  const intervals: { owner: string; from: number; to: number }[] = [];
  const open = new Map<string, number>();
  for (const l of lines) {
    if (l.event === 'apply-start') open.set(l.owner, l.at);
    if (l.event === 'apply-end' || l.event === 'killed') {
      const from = open.get(l.owner);
      if (from !== undefined) intervals.push({ owner: l.owner, from, to: l.at });
      open.delete(l.owner);
    }
  }
  const bad: string[] = [];
  for (const a of intervals)
    for (const b of intervals)
      if (a.owner < b.owner && a.from < b.to && b.from < a.to)
        bad.push(`${a.owner}@${a.from}-${a.to} overlaps ${b.owner}@${b.from}-${b.to}`);
  return bad;
}

describeEachRawDb('reliability 14: crash (SIGKILL) at random points', (get) => {
  let emu: StartedEmulator;
  let dir: string;
  beforeAll(async () => {
    emu = await startEmulatorFor({ provider: 'personio', employees: EMPLOYEES, seed: 1414 });
    dir = mkdtempSync(join(tmpdir(), 'rostersync-crash-log-'));
  });
  afterAll(async () => {
    await emu.emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    `${KILLS} kill(s): integrity holds, the killed run is interrupted, the survivor converges exactly`,
    async () => {
      const db = get();
      const deps: EngineDeps = {
        ...testDeps(db.store, { now: () => new Date(), owner: 'parent' }),
        batchSize: 1000,
      };
      const tenantOf = async (slug: string, sync: boolean): Promise<Tenant & { integrationId: string }> => {
        const tenant = await db.store.tenants.create({
          id: randomUUID(),
          slug: `${slug}-${randomUUID().slice(0, 6)}`,
          name: slug,
        });
        const connected = await connect(deps, {
          tenantId: tenant.id,
          provider: 'personio',
          config: emu.config,
          sync,
        });
        if (!connected.ok) throw connected.error;
        return { ...tenant, integrationId: connected.value.integration.id };
      };
      // What a clean, uninterrupted sync of the same roster gives.
      const reference = await tenantOf('reference', true);
      const expected = new Map(
        (await allUsers(db.store, reference.id)).map((u) => [u.sourceId, [u.active, u.attributes.lastName]]),
      );
      expect(expected.size).toBeGreaterThan(EMPLOYEES * 0.9);
      const log = join(dir, `${db.dialect}.log`);
      writeFileSync(log, '');
      // Kill moments from a fixed seed (reproducible), spread over fetch, plan and apply (a 2 000-employee
      // sync takes about 2 s here, 5 000 about 5 s).
      const delays = killDelays({ seed: 14, count: KILLS, min: 300, max: full ? 6_000 : 2_500 });
      for (const [i, delay] of delays.entries()) {
        // A tenant that never synced: the race is over its first, 5 000-user sync.
        const crashed = await tenantOf(`crashed${i}`, false);
        const env = {
          CRASH_DATABASE_URL: db.url,
          ...(db.schema ? { CRASH_SCHEMA: db.schema } : {}),
          CRASH_TENANT: crashed.id,
          CRASH_LOG: log,
          CRASH_SECRET_KEYS: `${testKey.id}:${testKey.key.toString('base64')}`,
          CRASH_LEASE_TTL_MS: String(LEASE_TTL_MS),
          CRASH_BATCH_SIZE: '250',
        };
        const workers = [spawnWorker(env, `first-${i}`), spawnWorker(env, `second-${i}`)] as const;
        await Promise.all(workers.map((w) => w.ready));
        await new Promise((r) => setTimeout(r, delay));
        // Kill the worker holding the lease (the one syncing); before anyone holds it, the first one.
        const holder = await db.store.leases.holder(crashed.integrationId);
        const victim = workers.find((w) => w.owner === holder?.owner) ?? workers[0];
        const survivor = victim === workers[0] ? workers[1] : workers[0];
        const killedAt = Date.now();
        victim.proc.kill('SIGKILL');
        await victim.exited;
        writeFileSync(log, `${JSON.stringify({ event: 'killed', owner: victim.owner, at: killedAt })}\n`, {
          flag: 'a',
        });
        await survivor.exited;

        if (db.dialect === 'sqlite') {
          expect(await db.query<{ integrity_check: string }>('PRAGMA integrity_check')).toEqual([
            { integrity_check: 'ok' },
          ]);
        }
        const lines = readFileSync(log, 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as LogLine);
        const done = lines.filter((l) => l.event === 'done' && l.owner === survivor.owner);
        const stderr = (survivor.proc as ChildProcess & { stderrText?: () => string }).stderrText?.() ?? '';
        expect(done, `round ${i}: the survivor did not finish a run: ${stderr.slice(0, 2000)}`).toHaveLength(
          1,
        );
        expect(overlaps(lines), `round ${i}`).toEqual([]);
        // One more run once any dead lease has expired: it closes a run the victim left behind and must find
        // nothing left to do.
        const after = await runSync(
          { ...deps, clock: { now: () => new Date(Date.now() + LEASE_TTL_MS + 1) } },
          { tenantId: crashed.id, trigger: 'manual' },
        );
        expect(after.ok && after.value.counts, `round ${i} (killed after ${delay} ms)`).toMatchObject({
          created: 0,
          updated: 0,
          deactivated: 0,
          reactivated: 0,
        });
        const users = await allUsers(db.store, crashed.id);
        expect(new Set(users.map((u) => u.sourceId)).size, `round ${i}: duplicates`).toBe(users.length);
        expect(new Set(users.map((u) => u.attributes.email?.toLowerCase())).size).toBe(users.length);
        expect(
          new Map(users.map((u) => [u.sourceId, [u.active, u.attributes.lastName]])),
          `round ${i}: converged`,
        ).toEqual(expected);
        const runs = await db.store.runs.list(crashed.id, { limit: 200 });
        expect(runs.filter((r) => r.status === 'running')).toHaveLength(0);
        expect(
          runs.every((r) => ['succeeded', 'partial', 'interrupted'].includes(r.status)),
          `round ${i}`,
        ).toBe(true);
        expect(
          runs.filter((r) => r.status === 'interrupted').every((r) => r.errorCode === 'lease_lost'),
        ).toBe(true);
        // Killed mid-run (it had begun applying and never finished): its run must be closed as interrupted.
        const victimApplied =
          lines.some((l) => l.owner === victim.owner && l.event === 'apply-start') &&
          !lines.some((l) => l.owner === victim.owner && l.event === 'done');
        if (victimApplied)
          expect(runs.filter((r) => r.status === 'interrupted').length, `round ${i}`).toBeGreaterThanOrEqual(
            1,
          );
        console.info(
          `[reliability 14] ${db.dialect} round ${i}: killed after ${delay} ms${victimApplied ? ' (mid-apply)' : ''}; runs ${runs.map((r) => r.status).join(', ')}`,
        );
      }
    },
    full ? 1_500_000 : 300_000,
  );
});
