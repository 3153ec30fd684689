/** Helpers of the jobs suites: PostgreSQL-only suites (skip loudly, fail when required) and a recording logger. */
import { describe, it } from 'vitest';
import type { Logger } from '../../src/engine/index.js';
import { dialects } from '../db.js';

const postgres = dialects.find((d) => d.dialect === 'postgres');

/** The PostgreSQL URL when PostgreSQL suites run. */
export const postgresUrl = (): string => {
  if (postgres?.status !== 'run' || postgres.url === undefined)
    throw new Error('PostgreSQL is not available');
  return postgres.url;
};

/**
 * A suite that needs PostgreSQL: runs with TEST_DATABASE_URL, is skipped with one loud line without
 * it, and fails when ROSTERSYNC_REQUIRE_POSTGRES=1 and the database is unusable.
 */
export function describePostgres(name: string, fn: () => void): void {
  if (postgres?.status === 'run') {
    describe(`postgres: ${name}`, fn);
    return;
  }
  if (postgres?.status === 'fail') {
    describe(`postgres: ${name}`, () => {
      it('has a PostgreSQL database (ROSTERSYNC_REQUIRE_POSTGRES=1)', () => {
        throw new Error(`${postgres.reason ?? 'PostgreSQL unavailable'}; PostgreSQL is required here.`);
      });
    });
    return;
  }
  console.warn(`[rostersync tests] PostgreSQL suite SKIPPED: ${name} (set TEST_DATABASE_URL)`);
  describe.skip(`postgres: ${name}`, fn);
}

export interface LogLine {
  readonly level: 'info' | 'warn' | 'error' | 'debug';
  readonly obj: object;
  readonly msg: string | undefined;
}

/** A Logger that keeps every line (tests count them). */
export function recordingLogger(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at =
    (level: LogLine['level']) =>
    (obj: object, msg?: string): void => {
      lines.push({ level, obj, msg });
    };
  return { lines, info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') };
}
