/**
 * Entry point run under `node --enable-source-maps --import tsx --cpu-prof`: ONE sync of a prepared
 * tenant (the emulator and the preparation run in other processes). It writes `--meta`: the sync's
 * time window on the profiler's clock, and the source maps of our modules, because tsx serves them
 * minified to one line and the profile alone would only say "plan.ts, column 3104".
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { findSourceMap } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runSync } from '../src/engine/index.js';
import { openStore } from '../src/store/index.js';
import { benchDeps } from './setup.js';

const get = (name: string): string => {
  const at = process.argv.indexOf(`--${name}`);
  const value = at === -1 ? undefined : process.argv[at + 1];
  if (value === undefined) throw new Error(`profile-sync: --${name} is required`);
  return value;
};

/** Microseconds on CLOCK_MONOTONIC: the clock V8's profiler stamps samples with on Linux. */
const nowUs = (): number => Number(process.hrtime.bigint() / 1000n);

const tsFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? tsFiles(join(dir, e.name))
      : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')
        ? [join(dir, e.name)]
        : [],
  );

/** Source-map payloads of the loaded modules of src/ and bench/, by file URL. */
const loadedSourceMaps = (): Record<string, unknown> => {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const maps: Record<string, unknown> = {};
  for (const file of [...tsFiles(join(root, 'src')), ...tsFiles(join(root, 'bench'))]) {
    const url = pathToFileURL(file).href;
    const map = findSourceMap(url);
    if (map !== undefined) maps[url] = map.payload;
  }
  return maps;
};

const store = await openStore({ url: get('db') });
try {
  const deps = benchDeps({ store, key: Buffer.from(get('key'), 'base64') });
  const before = store.stats.directoryRows;
  const startUs = nowUs();
  const result = await runSync(deps, { tenantId: get('tenant'), trigger: 'manual' });
  const endUs = nowUs();
  if (!result.ok) throw result.error;
  const report = {
    status: result.value.status,
    ms: (endUs - startUs) / 1000,
    rowsWritten: store.stats.directoryRows - before,
  };
  writeFileSync(
    get('meta'),
    JSON.stringify({ window: { startUs, endUs }, report, sourceMaps: loadedSourceMaps() }),
  );
} finally {
  await store.close();
}
