/** Scenario 7: the pure planner alone, N roster people against the N users a first sync would have created. */
import { plan } from '../src/core/index.js';
import type { DirectoryUser, ManagedField, PersonField, PlanInput, SourcePerson } from '../src/core/model.js';
import { personFields } from '../src/core/model.js';
import { defaultGenderChoices } from '../src/store/index.js';
import { benchToday } from './constants.js';
import { sample, timed } from './stats.js';
import type { Sample } from './stats.js';

/** Per-employee cost of the plan and of its floor. */
export interface PlannerResult {
  readonly employees: number;
  readonly users: number;
  readonly planMs: Sample;
  readonly floorMs: Sample;
  /** Users the plan left unchanged: all of them, or the input is not a no-op. */
  readonly unchanged: number;
  /** People the floor found different (raw values: leavers, and genders with no tenant choice). */
  readonly floorDiffers: number;
}

/**
 * Planner floor: the least a reconcile must do. Index the users by source id, look each person up
 * and compare the managed attributes; returns how many differ so the work cannot be optimised away.
 */
export function joinFloor(o: {
  people: readonly SourcePerson[];
  users: readonly DirectoryUser[];
  fields: readonly PersonField[];
}): number {
  const bySource = new Map<string, DirectoryUser>();
  for (const u of o.users) if (u.sourceId !== null) bySource.set(u.sourceId, u);
  let differ = 0;
  for (const p of o.people) {
    const user = bySource.get(p.sourceId);
    if (user === undefined) {
      differ += 1;
      continue;
    }
    for (const f of o.fields) {
      const value = p.attributes[f];
      if (value !== undefined && value !== user.attributes[f]) {
        differ += 1;
        break;
      }
    }
  }
  return differ;
}

/** The planner's input for `roster` against the directory a first sync of it leaves behind. */
export function syncedInput(o: {
  roster: readonly SourcePerson[];
  managedFields: readonly ManagedField[];
}): PlanInput {
  let ids = 0;
  const empty: PlanInput = {
    tenantId: 'bench-tenant',
    integrationId: 'bench-integration',
    mode: 'full',
    roster: o.roster,
    managedFields: o.managedFields,
    users: [],
    groups: [],
    references: { departments: [], positions: [], locations: [] },
    genderChoices: defaultGenderChoices,
    leaverPolicy: 'deactivate',
    today: benchToday,
    newId: () => `user-${String(++ids).padStart(7, '0')}`,
  };
  const first = plan(empty);
  const users: DirectoryUser[] = first.users
    .filter((u) => u.action === 'create' && u.after !== undefined)
    .map((u) => ({
      id: u.userId,
      attributes: u.after!,
      active: true,
      managerId: u.managerId ?? null,
      integrationId: empty.integrationId,
      sourceId: u.sourceId,
      groupIds: [],
    }));
  return { ...empty, users, references: first.referencesToCreate };
}

/**
 * Times `plan` (validate, match, fields, managers, lifecycle, sorting) of a no-op run and the join
 * floor on the same input, `repeats` times each, alternating so noise hits both alike.
 */
export async function plannerBench(o: {
  roster: readonly SourcePerson[];
  managedFields: readonly ManagedField[];
  repeats: number;
}): Promise<PlannerResult> {
  const input = syncedInput(o);
  const fields = personFields.filter((f) => o.managedFields.includes(f));
  const planRuns: number[] = [];
  const floorRuns: number[] = [];
  let unchanged = 0;
  let differ = 0;
  for (let i = 0; i < o.repeats; i++) {
    floorRuns.push(
      await timed(() => {
        differ = joinFloor({ people: o.roster, users: input.users, fields });
        return Promise.resolve();
      }),
    );
    planRuns.push(
      await timed(() => {
        unchanged = plan(input).counts.unchanged;
        return Promise.resolve();
      }),
    );
  }
  return {
    floorDiffers: differ,
    employees: o.roster.length,
    users: input.users.length,
    planMs: sample(planRuns),
    floorMs: sample(floorRuns),
    unchanged,
  };
}
