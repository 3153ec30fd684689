/** Makes sure web/dist holds a build of the current UI sources before the browser tests start a server. */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const repoRoot = resolve(import.meta.dirname, '../../..');
const webDir = join(repoRoot, 'web');
const distIndex = join(webDir, 'dist', 'index.html');
/** One lock per checkout: test files run in parallel and must not build into web/dist at the same time. */
const lockDir = join(
  tmpdir(),
  `rostersync-ui-build-${createHash('sha256').update(repoRoot).digest('hex').slice(0, 12)}.lock`,
);
const LOCK_STALE_MS = 5 * 60_000;

function newestMtime(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let newest = s.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** True when web/dist was built after the last change to the UI's sources. */
export function distIsFresh(): boolean {
  if (!existsSync(distIndex)) return false;
  const sources = Math.max(
    newestMtime(join(webDir, 'src')),
    newestMtime(join(webDir, 'public')),
    newestMtime(join(webDir, 'index.html')),
    newestMtime(join(webDir, 'vite.config.ts')),
  );
  return statSync(distIndex).mtimeMs >= sources;
}

function tryLock(): boolean {
  try {
    mkdirSync(lockDir);
    return true;
  } catch {
    // A lock left by a killed run must not block every later run.
    if (Date.now() - statSync(lockDir).mtimeMs > LOCK_STALE_MS)
      rmSync(lockDir, { recursive: true, force: true });
    return false;
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Builds web/dist when it is missing or older than the sources (`npm test` builds it first, so usually
 * nothing happens here). The service under test serves web/dist, as `rostersync serve` does.
 */
export async function ensureUiBuilt(): Promise<void> {
  for (let waited = 0; !distIsFresh(); waited += 250) {
    if (waited > 180_000) throw new Error(`web/dist is still not built after 3 minutes (lock ${lockDir})`);
    if (!tryLock()) {
      await pause(250);
      continue;
    }
    try {
      if (!distIsFresh()) {
        await run(
          process.execPath,
          [
            join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js'),
            'build',
            '--config',
            join(webDir, 'vite.config.ts'),
            '--logLevel',
            'warn',
          ],
          { cwd: repoRoot },
        );
      }
    } finally {
      rmSync(lockDir, { recursive: true, force: true });
    }
  }
}
