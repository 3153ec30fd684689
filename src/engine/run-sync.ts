/** The sync run end to end: fetch → normalize → validate → match → plan → guard → apply → report. */
import { AppError, isAppError } from '../core/errors.js';
import { countActiveLinked, guard, plan as planChanges } from '../core/index.js';
import {
  emptyCounts,
  type DirectoryUser,
  type ManagedField,
  type Plan,
  type PlanCounts,
  type SyncMode,
} from '../core/model.js';
import { err, ok, type Result } from '../core/result.js';
import type { Source } from '../sources/contract.js';
import type { Fence, IntegrationRecord, RunRecord, RunTrigger, Tenant } from '../store/types.js';
import { planToBatches, itemForChange, itemsForIssues } from './apply.js';
import { todayIn, type EngineDeps } from './deps.js';
import { fetchRoster, type Roster } from './fetch.js';
import { afterRun } from './notify.js';

export type SyncInput =
  | { readonly kind: 'pull' }
  | { readonly kind: 'ids'; readonly ids: readonly string[] }
  | { readonly kind: 'roster'; readonly roster: Roster };

export interface Progress {
  readonly phase: 'fetch' | 'plan' | 'apply' | 'done';
  readonly done: number;
  readonly total?: number;
}

export interface SyncRequest {
  readonly tenantId: string;
  readonly trigger: RunTrigger;
  readonly input?: SyncInput;
  /** Compute and store the plan as a `dry_run`; write nothing to the directory. */
  readonly dryRun?: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: Progress) => void;
  /** Called as soon as the run row exists (the upload API answers 202 with its id). */
  readonly onRunCreated?: (run: RunRecord) => void;
}

export const credentialsAad = (integrationId: string): string => `integration:${integrationId}`;

/** The connector and its decrypted config (secrets plus the public settings) for an integration. */
export function sourceFor(
  deps: EngineDeps,
  integration: IntegrationRecord,
): Result<{ source: Source; config: Record<string, unknown> }, AppError> {
  const source = deps.sources(integration.provider);
  if (!source) return err(new AppError('invalid_config', `Unknown HR source '${integration.provider}'.`));
  const secrets =
    integration.credentialsCiphertext === null
      ? {}
      : (deps.cipher.decrypt(integration.credentialsCiphertext, credentialsAad(integration.id)) as Record<
          string,
          unknown
        >);
  return ok({ source, config: { ...integration.publicConfig, ...secrets } });
}

/** Loads the tenant's directory as the planner sees it; admins' own users are protected. */
export async function loadDirectory(deps: EngineDeps, tenantId: string) {
  const snapshot = await deps.store.directory.snapshot(tenantId);
  const admins = new Set(snapshot.adminEmails.map((e) => e.trim().toLowerCase()));
  const users: DirectoryUser[] = snapshot.users.map((u) => ({
    id: u.id,
    attributes: u.attributes,
    active: u.active,
    managerId: u.managerId,
    integrationId: u.integrationId,
    sourceId: u.sourceId,
    groupIds: u.groupIds,
    protected: admins.has((u.attributes.email ?? '').trim().toLowerCase()),
  }));
  return { snapshot, users };
}

/** The integration's secret values (decrypted), to scrub from what is logged; none when unreadable. */
function secretValues(deps: EngineDeps, integration: IntegrationRecord): string[] {
  if (integration.credentialsCiphertext === null) return [];
  try {
    const secrets = deps.cipher.decrypt(integration.credentialsCiphertext, credentialsAad(integration.id));
    return Object.values(secrets as Record<string, unknown>).filter(
      (v): v is string => typeof v === 'string' && v.length >= 4,
    );
  } catch {
    return [];
  }
}

/** A copy of an error (and its causes) with every secret value replaced by `***` in message and stack. */
export function scrubError(error: unknown, secrets: readonly string[], depth = 0): unknown {
  if (secrets.length === 0 || depth > 5) return error;
  const clean = (text: string): string => secrets.reduce((t, s) => t.split(s).join('***'), text);
  if (!(error instanceof Error)) return typeof error === 'string' ? clean(error) : error;
  const copy = new Error(
    clean(error.message),
    error.cause === undefined ? undefined : { cause: scrubError(error.cause, secrets, depth + 1) },
  );
  copy.name = error.name;
  if (error.stack !== undefined) copy.stack = clean(error.stack);
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') Object.assign(copy, { code });
  return copy;
}

interface RunContext {
  readonly deps: EngineDeps;
  readonly tenant: Tenant;
  readonly integration: IntegrationRecord;
  readonly run: RunRecord;
  readonly fence: Fence | null;
}

async function finish(
  c: RunContext,
  o: { status: RunRecord['status']; counts?: PlanCounts; error?: AppError; guard?: Record<string, unknown> },
): Promise<RunRecord> {
  const run = await c.deps.store.runs.finish(c.run.id, {
    status: o.status,
    counts: o.counts ?? emptyCounts,
    message: o.error?.message ?? (typeof o.guard?.message === 'string' ? o.guard.message : null),
    errorCode: o.error?.code ?? null,
    guard: o.guard ?? null,
  });
  if (!run.dryRun) {
    const title = c.deps.sources(c.integration.provider)?.spec.title ?? c.integration.provider;
    await afterRun(c.deps, { tenant: c.tenant, integration: c.integration, run, title });
  }
  return run;
}

/**
 * User writes per apply transaction. 5 000 rather than 1 000: random-key index pages touched by a
 * batch are written once per transaction, so small batches multiplied the writes (a first sync of
 * 50 000 people took 40% longer at 1 000); a batch still commits in well under a second.
 */
const defaultBatchSize = 5_000;

/** Applies a plan batch by batch under the run's lease; every batch re-checks the fence. */
export async function applyPlan(
  c: RunContext,
  plan: Plan,
  o: { items: boolean; onProgress?: ((p: Progress) => void) | undefined },
): Promise<void> {
  const batches = planToBatches(plan, {
    tenantId: c.tenant.id,
    integrationId: c.integration.id,
    runId: c.run.id,
    batchSize: c.deps.batchSize ?? defaultBatchSize,
    actor: 'run',
    items: o.items,
  });
  let done = 0;
  for (const ops of batches) {
    await c.deps.store.apply(ops, { fence: c.fence, now: c.deps.clock.now(), ttlMs: c.deps.leaseTtlMs });
    done += 1;
    o.onProgress?.({ phase: 'apply', done, total: batches.length });
  }
}

/** Every change and issue of a plan as run items (dry runs and blocked runs show what would happen). */
async function storePreview(c: RunContext, plan: Plan): Promise<void> {
  const items = [
    ...plan.users.filter((u) => u.action !== 'unchanged').map(itemForChange),
    ...itemsForIssues(plan),
  ];
  await c.deps.store.runs.addItems(c.tenant.id, c.run.id, items);
}

/** Marks other `running` runs of an integration as interrupted: we hold its lease, so they are dead. */
async function closeStaleRuns(deps: EngineDeps, tenantId: string, integrationId: string, current: string) {
  const runs = await deps.store.runs.list(tenantId, { integrationId, limit: 50 });
  for (const r of runs) {
    if (r.id === current) continue;
    if (r.status === 'running' && !r.dryRun) {
      await deps.store.runs.finish(r.id, {
        status: 'interrupted',
        counts: r.counts,
        message: 'The process running this sync stopped before it finished; a later run completed the work.',
        errorCode: 'lease_lost',
      });
    } else if (r.status === 'blocked') {
      // A newer run supersedes a blocked one: its stored plan no longer matches the source.
      await deps.store.runs.finish(r.id, { status: 'cancelled', counts: r.counts, message: r.message });
      await deps.store.runs.deletePlan(r.id);
    }
  }
}

/**
 * Runs one sync of the tenant's connected source. Precondition failures (no source, another run in
 * progress) are errors; everything after the run row exists is reported on the run itself.
 */
export async function runSync(deps: EngineDeps, req: SyncRequest): Promise<Result<RunRecord, AppError>> {
  const tenant = await deps.store.tenants.get(req.tenantId);
  if (!tenant) return err(new AppError('not_found', `No tenant ${req.tenantId}.`));
  const integration = await deps.store.integrations.getActive(tenant.id);
  if (!integration) {
    return err(new AppError('conflict', `${tenant.name} has no HR source connected; connect one first.`));
  }
  const input = req.input ?? { kind: 'pull' };
  if ((input.kind === 'roster') !== (integration.provider === 'file')) {
    return err(
      new AppError(
        'conflict',
        input.kind === 'roster'
          ? `${tenant.name} syncs from ${integration.provider}; file uploads are refused while it is connected.`
          : `${tenant.name} syncs from uploaded files; upload a new file to sync.`,
      ),
    );
  }
  const dryRun = req.dryRun ?? false;
  const mode: SyncMode = input.kind === 'ids' ? 'partial' : 'full';
  const fence = dryRun
    ? null
    : await deps.store.leases.acquire({
        integrationId: integration.id,
        owner: deps.owner,
        ttlMs: deps.leaseTtlMs,
        now: deps.clock.now(),
      });
  if (!dryRun && !fence) {
    return err(
      new AppError('run_in_progress', `A sync of ${tenant.name} is already running; try again later.`),
    );
  }
  const run = await deps.store.runs.create({
    id: deps.newId(),
    tenantId: tenant.id,
    integrationId: integration.id,
    provider: integration.provider,
    mode,
    trigger: req.trigger,
    dryRun,
  });
  const c: RunContext = { deps, tenant, integration, run, fence };
  req.onRunCreated?.(run);
  try {
    if (fence) await closeStaleRuns(deps, tenant.id, integration.id, run.id);
    return ok(await execute(c, req, input, mode));
  } catch (cause) {
    const error = isAppError(cause)
      ? cause
      : new AppError('internal', 'The sync failed because of an internal error; it has been logged.', {
          cause,
        });
    // A library error may echo a credential (a URL with a key, a header): those values never reach the log.
    deps.log.error(
      { err: scrubError(cause, secretValues(deps, integration)), runId: run.id, tenantId: tenant.id },
      'sync run failed',
    );
    const status = error.code === 'lease_lost' ? 'interrupted' : 'failed';
    return ok(await finish(c, { status, error }));
  } finally {
    if (fence) await deps.store.leases.release(fence).catch(() => undefined);
  }
}

/** What planning leaves for apply: the plan, and the two facts about the roster apply still needs. */
interface Planned {
  readonly plan: Plan;
  readonly activeLinked: number;
  readonly managedFields: readonly ManagedField[];
}

/**
 * Reads the roster (or takes the uploaded one) and plans the run. A function of its own so that the
 * roster and the directory snapshot, hundreds of MB at 100 000 people, are garbage by the time apply
 * runs: an async function keeps its locals alive across every later await (docs/performance.md).
 */
async function readAndPlan(
  c: RunContext,
  o: { req: SyncRequest; input: SyncInput; mode: SyncMode },
): Promise<Result<Planned, AppError>> {
  const { deps, tenant, integration } = c;
  const { req, input, mode } = o;
  let roster: Roster;
  if (input.kind === 'roster') {
    roster = input.roster;
  } else {
    const resolved = sourceFor(deps, integration);
    if (!resolved.ok) return resolved;
    let renewedAt = deps.clock.now().getTime();
    const fetched = await fetchRoster({
      source: resolved.value.source,
      config: resolved.value.config,
      ctx: {
        allowLoopback: deps.allowLoopbackSources,
        ...(req.signal ? { signal: req.signal } : {}),
        ...(deps.retry ? { retry: deps.retry } : {}),
        stats: { requests: 0, retries: 0 },
      },
      ...(input.kind === 'ids' ? { ids: input.ids } : {}),
      onPage: async (done) => {
        req.onProgress?.({ phase: 'fetch', done });
        // A renewal is a write transaction: one per page made 1 000 of them in a 100k fetch. Every
        // quarter of the TTL keeps the lease alive with room to spare; apply's fence check still
        // guards every write.
        const now = deps.clock.now();
        if (!c.fence || now.getTime() - renewedAt < deps.leaseTtlMs / 4) return;
        renewedAt = now.getTime();
        if (!(await deps.store.leases.renew(c.fence, { ttlMs: deps.leaseTtlMs, now }))) {
          throw new AppError('lease_lost', 'Another process took over this sync; this run stopped.');
        }
      },
    });
    if (!fetched.ok) return fetched;
    roster = fetched.value;
  }

  req.onProgress?.({ phase: 'plan', done: 0 });
  const { snapshot, users } = await loadDirectory(deps, tenant.id);
  const plan = planChanges({
    tenantId: tenant.id,
    integrationId: integration.id,
    mode,
    roster: roster.people,
    managedFields: roster.managedFields,
    users,
    groups: snapshot.groups,
    references: snapshot.references,
    genderChoices: snapshot.genderChoices,
    leaverPolicy: tenant.leaverPolicy,
    today: todayIn(tenant.timezone, deps.clock.now()),
    newId: deps.newId,
    heldSourceIds: roster.issues.flatMap((i) => (i.sourceId === null ? [] : [i.sourceId])),
    extraIssues: roster.issues,
  });
  return ok({
    plan,
    activeLinked: countActiveLinked(users, integration.id),
    managedFields: roster.managedFields,
  });
}

async function execute(
  c: RunContext,
  req: SyncRequest,
  input: SyncInput,
  mode: SyncMode,
): Promise<RunRecord> {
  const { deps, tenant, integration } = c;
  const planned = await readAndPlan(c, { req, input, mode });
  if (!planned.ok) return finish(c, { status: 'failed', error: planned.error });
  const { plan, activeLinked, managedFields } = planned.value;

  if (c.run.dryRun) {
    await storePreview(c, plan);
    return finish(c, { status: 'dry_run', counts: plan.counts });
  }
  const verdict = guard(plan, { mode, policy: { threshold: tenant.deletionThreshold }, activeLinked });
  if (verdict.blocked) {
    await deps.store.runs.savePlan(tenant.id, c.run.id, JSON.stringify(plan));
    await storePreview(c, plan);
    return finish(c, { status: 'blocked', counts: plan.counts, guard: { ...verdict } });
  }
  await applyPlan(c, plan, { items: true, onProgress: req.onProgress });
  await deps.store.integrations.update(tenant.id, integration.id, { managedFields: [...managedFields] });
  req.onProgress?.({ phase: 'done', done: 1, total: 1 });
  return finish(c, { status: plan.counts.errors > 0 ? 'partial' : 'succeeded', counts: plan.counts });
}

/** Applies the stored plan of a blocked run after an admin confirmed it (exactly that plan). */
export async function confirmRun(
  deps: EngineDeps,
  o: { tenantId: string; runId: string },
): Promise<Result<RunRecord, AppError>> {
  const tenant = await deps.store.tenants.get(o.tenantId);
  const run = tenant ? await deps.store.runs.get(tenant.id, o.runId) : undefined;
  if (!tenant || !run) return err(new AppError('not_found', `No run ${o.runId}.`));
  if (run.status !== 'blocked') {
    return err(
      new AppError('conflict', `Run ${run.id} is ${run.status}; only a blocked run can be confirmed.`),
    );
  }
  const integration = run.integrationId
    ? await deps.store.integrations.get(tenant.id, run.integrationId)
    : undefined;
  if (!integration || integration.status !== 'active') {
    return err(new AppError('conflict', 'The integration of this run is no longer connected.'));
  }
  const json = await deps.store.runs.loadPlan(tenant.id, run.id);
  if (json === undefined) return err(new AppError('conflict', `Run ${run.id} has no stored plan to apply.`));
  const fence = await deps.store.leases.acquire({
    integrationId: integration.id,
    owner: deps.owner,
    ttlMs: deps.leaseTtlMs,
    now: deps.clock.now(),
  });
  if (!fence)
    return err(new AppError('run_in_progress', 'A sync is running; confirm again when it is done.'));
  const c: RunContext = { deps, tenant, integration, run, fence };
  try {
    const plan = JSON.parse(json) as Plan;
    await applyPlan(c, plan, { items: false });
    await deps.store.runs.deletePlan(run.id);
    return ok(
      await finish(c, { status: plan.counts.errors > 0 ? 'partial' : 'succeeded', counts: plan.counts }),
    );
  } catch (cause) {
    const error = isAppError(cause)
      ? cause
      : new AppError('internal', 'Applying the confirmed run failed.', { cause });
    deps.log.error({ err: cause, runId: run.id }, 'confirm failed');
    return err(error);
  } finally {
    await deps.store.leases.release(fence).catch(() => undefined);
  }
}
