/** Scenario 3's changes: 1% of employees change a field, 0.2% leave, 0.2% are hired; chosen by seed. */
import { generateRoster, mulberry32, positions } from '../src/sources/_shared/generator.js';
import type { EmulatorProcess } from './emulator-client.js';

/** What the bench asks the HR system to change, and what the sync must then write. */
export interface ChangeSet {
  /** Employees whose position changes (one field each). */
  readonly updates: readonly { readonly id: string; readonly position: string }[];
  /** Employees marked as leavers (inactive, leaving today). */
  readonly leavers: readonly string[];
  /** New hires (the emulator generates them; each reports to the CEO, an existing user). */
  readonly hires: number;
}

/** Shares of the roster, as issue 7 defines them. */
export const changeShares = { update: 0.01, leave: 0.002, hire: 0.002 } as const;

/**
 * Picks the changes for a roster of `count` people: the same seed gives the same employees. Only
 * active people without a leaving date are picked, so each pick changes exactly one directory user.
 */
export function planChangeSet(o: { count: number; seed: number }): ChangeSet {
  const people = generateRoster({ count: o.count, seed: o.seed });
  const candidates = people.filter((p, i) => i > 0 && p.status === 'active' && p.leavingDate === null);
  const rand = mulberry32(o.seed ^ 0x5eed_c4a6);
  const updates = Math.round(o.count * changeShares.update);
  const leavers = Math.round(o.count * changeShares.leave);
  const wanted = Math.min(candidates.length, updates + leavers);
  // Partial Fisher-Yates: the first `wanted` slots become a uniform sample.
  for (let i = 0; i < wanted; i++) {
    const j = i + Math.floor(rand() * (candidates.length - i));
    const a = candidates[i];
    const b = candidates[j];
    if (a === undefined || b === undefined) break;
    candidates[i] = b;
    candidates[j] = a;
  }
  const picked = candidates.slice(0, wanted);
  return {
    updates: picked.slice(0, updates).map((p) => {
      const at = positions.indexOf(p.position as (typeof positions)[number]);
      return { id: p.id, position: positions[(at + 1) % positions.length] ?? 'Team Lead' };
    }),
    leavers: picked.slice(updates).map((p) => p.id),
    hires: Math.round(o.count * changeShares.hire),
  };
}

/** How many employees of each kind a change set touches. */
export interface ChangeCounts {
  readonly updates: number;
  readonly leavers: number;
  readonly hires: number;
}

export const changeCounts = (c: ChangeSet): ChangeCounts => ({
  updates: c.updates.length,
  leavers: c.leavers.length,
  hires: c.hires,
});

/** Users the sync must write for a change set: one per changed, leaving or hired employee. */
export const changedUsers = (c: ChangeCounts): number => c.updates + c.leavers + c.hires;

/** Runs `tasks` with at most `limit` in flight (the control API is plain HTTP; a little parallelism saves setup time). */
async function inParallel(tasks: readonly (() => Promise<unknown>)[], limit: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const task = tasks[next];
      next += 1;
      await task?.();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}

/** Makes the changes in the emulator through its control API (untimed setup). */
export async function applyChangeSet(emu: EmulatorProcess, c: ChangeSet): Promise<void> {
  const tasks: (() => Promise<unknown>)[] = [
    ...c.updates.map(
      (u) => () =>
        emu.control({
          method: 'PATCH',
          path: `/_emulator/employees/${u.id}`,
          body: { position: u.position },
        }),
    ),
    ...c.leavers.map(
      (id) => () => emu.control({ method: 'POST', path: `/_emulator/employees/${id}/terminate` }),
    ),
  ];
  await inParallel(tasks, 8);
  // Hires one at a time: each takes the next free id.
  for (let i = 0; i < c.hires; i++)
    await emu.control({ method: 'POST', path: '/_emulator/employees', body: {} });
}
