/** Leader election on PostgreSQL: a session advisory lock held by one process (scheduler, mailer). */
import pg from 'pg';
import type { Logger } from '../engine/index.js';

/** Lock id (a constant 64-bit key): "rostersync leader". */
const LEADER_KEY = '7305986211180528135';

export interface LeaderLock {
  /** True while this process holds the lock; tries to take it when nobody does. */
  isLeader(): Promise<boolean>;
  release(): Promise<void>;
}

/**
 * One process among many leads: it holds a session-level `pg_try_advisory_lock` on a dedicated
 * connection. When it dies its connection closes and PostgreSQL frees the lock; another process
 * takes it on its next `isLeader()`. `key` separates independent groups (tests).
 *
 * @example
 * const leader = createLeaderLock({ connectionString: env.DATABASE_URL });
 * if (await leader.isLeader()) await scheduler.tick();
 */
export function createLeaderLock(o: { connectionString: string; key?: string; log?: Logger }): LeaderLock {
  const key = o.key ?? LEADER_KEY;
  let client: pg.Client | null = null;
  let held = false;
  let closed = false;

  const drop = (): void => {
    held = false;
    const c = client;
    client = null;
    void c?.end().catch(() => undefined);
  };

  return {
    async isLeader() {
      if (closed) return false;
      try {
        if (client === null) {
          const c = new pg.Client({
            connectionString: o.connectionString,
            application_name: 'rostersync-leader',
          });
          // A lost connection means a lost lock: forget both and try again on the next tick.
          c.on('error', (error) => {
            o.log?.warn({ err: error.message }, 'leader connection lost');
            if (client === c) drop();
          });
          await c.connect();
          client = c;
        }
        if (held) {
          await client.query('select 1');
          return held;
        }
        const result = await client.query<{ locked: boolean }>(
          'select pg_try_advisory_lock($1::bigint) as locked',
          [key],
        );
        held = result.rows[0]?.locked === true;
        if (held) o.log?.info({}, 'this process now leads the scheduler and mailer');
        return held;
      } catch (error) {
        o.log?.warn({ err: error instanceof Error ? error.message : String(error) }, 'leader check failed');
        drop();
        return false;
      }
    },
    async release() {
      closed = true;
      const c = client;
      client = null;
      held = false;
      await c?.end().catch(() => undefined);
    },
  };
}
