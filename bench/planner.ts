/** Scenario 7: the pure planner alone, N roster people against the N users of a synced directory. */
import { plan } from '../src/core/index.js';
import type { DirectoryUser, ManagedField, PersonField, SourcePerson } from '../src/core/model.js';
import { personFields } from '../src/core/model.js';
import { todayIn } from '../src/engine/index.js';
import type { EngineDeps } from '../src/engine/index.js';
import { loadDirectory } from '../src/engine/run-sync.js';
import { sample, timed } from './stats.js';
import type { Sample } from './stats.js';

/** Per-employee cost of the plan and of its floor, in microseconds. */
export interface PlannerResult {
  readonly employees: number;
  readonly users: number;
  readonly planMs: Sample;
  readonly floorMs: Sample;
  /** Users the plan left unchanged (a no-op plan: every one of them). */
  readonly unchanged: number;
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

/**
 * Times `plan` (validate, match, fields, managers, lifecycle, sort) on a synced directory and the
 * join floor on the same input, `repeats` times each, alternating so noise hits both alike.
 */
export async function plannerBench(o: {
  deps: EngineDeps;
  tenantId: string;
  roster: readonly SourcePerson[];
  managedFields: readonly ManagedField[];
  repeats: number;
}): Promise<PlannerResult> {
  const tenant = await o.deps.store.tenants.get(o.tenantId);
  const integration = await o.deps.store.integrations.getActive(o.tenantId);
  if (!tenant || !integration) throw new Error('planner bench: the synced tenant is gone');
  const { snapshot, users } = await loadDirectory(o.deps, o.tenantId);
  const fields = personFields.filter((f) => o.managedFields.includes(f));
  let newIds = 0;
  const input = {
    tenantId: tenant.id,
    integrationId: integration.id,
    mode: 'full' as const,
    roster: o.roster,
    managedFields: o.managedFields,
    users,
    groups: snapshot.groups,
    references: snapshot.references,
    genderChoices: snapshot.genderChoices,
    leaverPolicy: tenant.leaverPolicy,
    today: todayIn(tenant.timezone, o.deps.clock.now()),
    newId: () => `new-${++newIds}`,
  };
  const planRuns: number[] = [];
  const floorRuns: number[] = [];
  let unchanged = 0;
  let sink = 0;
  for (let i = 0; i < o.repeats; i++) {
    floorRuns.push(
      await timed(() => {
        sink += joinFloor({ people: o.roster, users, fields });
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
  if (sink < 0) throw new Error('unreachable: keeps the floor result alive');
  return {
    employees: o.roster.length,
    users: users.length,
    planMs: sample(planRuns),
    floorMs: sample(floorRuns),
    unchanged,
  };
}
