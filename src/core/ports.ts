/** Ports: what core needs from the outside world, injected (no I/O in core). */

/**
 * The clock, injected so tests and the scheduler can use fake time.
 *
 * @example
 * const fixed: Clock = { now: () => new Date('2026-11-23T06:00:00Z') };
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Generates ids (UUIDs in production, counters in tests). */
export type IdGenerator = () => string;
