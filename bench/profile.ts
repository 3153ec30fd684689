/**
 * `npm run bench -- --profile` (or `node --import tsx bench/profile.ts --size 100000`): prepares a tenant,
 * then runs the first sync and the no-op re-sync each in a child under `node --cpu-prof`, and ranks
 * the functions by self time. The profiles go to a temporary folder; the rankings to bench/results/.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { openStore } from '../src/store/index.js';
import { startEmulatorProcess } from './emulator-client.js';
import { formatSummary, summarizeProfileFile } from './profile-summary.js';
import type { ProfileSummary } from './profile-summary.js';
import { benchDeps, connectedTenant } from './setup.js';

const here = fileURLToPath(new URL('.', import.meta.url));

/** Runs one sync of the prepared tenant under `--cpu-prof`; returns the profile path and the sync's own report. */
async function profiledSync(o: {
  db: string;
  key: string;
  tenantId: string;
  dir: string;
  name: string;
}): Promise<{ path: string; meta: ProfileMeta }> {
  const metaPath = join(o.dir, `${o.name}.meta.json`);
  const args = [
    '--enable-source-maps',
    '--import',
    'tsx',
    '--cpu-prof',
    '--cpu-prof-dir',
    o.dir,
    '--cpu-prof-name',
    `${o.name}.cpuprofile`,
    join(here, 'profile-sync.ts'),
    '--db',
    o.db,
    '--key',
    o.key,
    '--tenant',
    o.tenantId,
    '--meta',
    metaPath,
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`the profiled ${o.name} sync exited with ${code}`);
  return {
    path: join(o.dir, `${o.name}.cpuprofile`),
    meta: JSON.parse(readFileSync(metaPath, 'utf8')) as ProfileMeta,
  };
}

/** What `profile-sync.ts` writes beside its profile. */
interface ProfileMeta {
  readonly window: { readonly startUs: number; readonly endUs: number };
  readonly report: { readonly status: string; readonly ms: number; readonly rowsWritten: number };
  readonly sourceMaps: Record<string, unknown>;
}

const summarize = (run: { path: string; meta: ProfileMeta }) => ({
  ...summarizeProfileFile(run.path, { top: 25, window: run.meta.window, sourceMaps: run.meta.sourceMaps }),
  report: run.meta.report,
});

/** Profiles the first sync and the no-op re-sync of `size` employees on SQLite. */
export async function profileSyncs(o: {
  size: number;
  seed: number;
  resultsDir: string;
}): Promise<Record<'first' | 'noop', ProfileSummary & { report: ProfileMeta['report'] }>> {
  const dir = mkdtempSync(join(tmpdir(), 'rostersync-profile-'));
  const emu = await startEmulatorProcess({ provider: 'personio', count: o.size, seed: o.seed });
  try {
    const key = randomBytes(32);
    const db = `sqlite:${join(dir, 'profile.db')}`;
    const store = await openStore({ url: db });
    await store.migrate();
    const deps = benchDeps({ store, key });
    const tenant = await connectedTenant({ deps, provider: emu.provider, config: emu.config });
    await store.close();
    const common = { db, key: key.toString('base64'), tenantId: tenant.id, dir };
    const first = await profiledSync({ ...common, name: 'first' });
    const noop = await profiledSync({ ...common, name: 'noop' });
    const out = { first: summarize(first), noop: summarize(noop) };
    writeFileSync(
      join(o.resultsDir, 'profile.json'),
      `${JSON.stringify({ size: o.size, ...out }, null, 2)}\n`,
    );
    return out;
  } finally {
    await emu.close();
    if (process.env['BENCH_KEEP_PROFILES'] === '1') {
      process.stderr.write(`profiles kept in ${dir}: ${readdirSync(dir).join(', ')}\n`);
    } else {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** Prints both rankings. */
export async function runProfile(o: { size: number; seed: number; resultsDir: string }): Promise<void> {
  const result = await profileSyncs(o);
  for (const phase of ['first', 'noop'] as const) {
    process.stdout.write(
      `${formatSummary(result[phase], `${phase} sync, ${o.size} employees (${JSON.stringify(result[phase].report)})`)}\n\n`,
    );
  }
}

const arg = (name: string): string | undefined => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? undefined : process.argv[at + 1];
};

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runProfile({
    size: Number(arg('size') ?? '100000'),
    seed: Number(arg('seed') ?? '7'),
    resultsDir: fileURLToPath(new URL('./results/', import.meta.url)),
  });
}
