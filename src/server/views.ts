/** Records → the API's shapes (contract.ts): secrets and hashes never leave through here. */
import type { EngineDeps } from '../engine/index.js';
import { nextScheduledRun } from '../engine/index.js';
import type {
  ApiKeyRecord,
  IntegrationRecord,
  OutboxRecord,
  RunItem,
  RunRecord,
  Tenant,
  UserRecord,
} from '../store/types.js';
import type {
  ApiKeyScope,
  ApiKeyView,
  IntegrationView,
  NotificationView,
  Page,
  RunItemView,
  RunSummary,
  SettingsView,
  UserView,
} from './contract.js';

export const runSummary = (r: RunRecord): RunSummary => ({
  id: r.id,
  integrationId: r.integrationId,
  provider: r.provider,
  mode: r.mode,
  trigger: r.trigger,
  status: r.status,
  dryRun: r.dryRun,
  counts: r.counts,
  message: r.message,
  errorCode: r.errorCode,
  startedAt: r.startedAt,
  finishedAt: r.finishedAt,
});

export const runItemView = (i: RunItem & { id: number }): RunItemView => ({
  id: i.id,
  action: i.action,
  userId: i.userId,
  sourceId: i.sourceId,
  record: i.record,
  email: i.email,
  changes: i.changes,
  code: i.code,
  field: i.field,
  message: i.message,
});

/** The run with a page of its items (all actions unless `actions` is given). */
export async function runDetail(
  deps: EngineDeps,
  run: RunRecord,
  q: { actions?: RunItem['action'][]; limit: number; offset: number },
) {
  const { items, total } = await deps.store.runs.listItems(run.tenantId, run.id, {
    ...(q.actions ? { action: q.actions } : {}),
    limit: q.limit,
    offset: q.offset,
  });
  const page: Page<RunItemView> = { items: items.map(runItemView), total, limit: q.limit, offset: q.offset };
  return { ...runSummary(run), guard: run.guard, items: page };
}

export const titleOf = (deps: EngineDeps, provider: string): string =>
  deps.sources(provider)?.spec.title ?? provider;

export async function integrationView(
  deps: EngineDeps,
  o: { integration: IntegrationRecord; tenant: Tenant },
): Promise<IntegrationView> {
  const { integration: i, tenant } = o;
  const source = deps.sources(i.provider);
  const [last] = await deps.store.runs.list(tenant.id, { integrationId: i.id, limit: 1 });
  // Uploads have no schedule: the next run is whenever the next file arrives.
  const scheduled = i.status === 'active' && i.provider !== 'file';
  return {
    id: i.id,
    provider: i.provider,
    title: source?.spec.title ?? i.provider,
    status: i.status,
    configuredFields: i.configuredFields,
    publicConfig: i.publicConfig,
    managedFields: i.managedFields,
    webhooks: source?.spec.webhooks ?? false,
    failureStreak: i.failureStreak,
    quarantinedUntil: i.quarantinedUntil,
    lastRunAt: i.lastRunAt,
    lastRun: last ? runSummary(last) : null,
    nextRunAt: scheduled ? nextScheduledRun(tenant, deps.clock.now()) : null,
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
  };
}

export const userView = (u: UserRecord, managedBy: UserView['managedBy']): UserView => ({
  id: u.id,
  ...u.attributes,
  active: u.active,
  managerId: u.managerId,
  groupIds: u.groupIds,
  integrationId: u.integrationId,
  sourceId: u.sourceId,
  managedBy,
  createdAt: u.createdAt,
  updatedAt: u.updatedAt,
});

/**
 * "Managed by" for a page of users: one lookup per integration, and only while it is connected
 * (disconnect drops links anyway).
 */
export async function managedByLookup(
  deps: EngineDeps,
  tenantId: string,
): Promise<(u: UserRecord) => UserView['managedBy']> {
  const active = await deps.store.integrations.getActive(tenantId);
  return (u) =>
    active && u.integrationId === active.id
      ? { provider: active.provider, title: titleOf(deps, active.provider) }
      : null;
}

export const settingsView = (t: Tenant, now: Date): SettingsView => ({
  timezone: t.timezone,
  syncCron: t.syncCron,
  nextRunAt: nextScheduledRun(t, now),
  leaverPolicy: t.leaverPolicy,
  deletionThreshold: t.deletionThreshold,
  allowManualUsers: t.allowManualUsers,
  technicalUserEmail: t.technicalUserEmail,
  notificationRecipients: t.notificationRecipients,
});

export const apiKeyView = (k: ApiKeyRecord): ApiKeyView => ({
  id: k.id,
  name: k.name,
  scopes: k.scopes as ApiKeyScope[],
  prefix: k.prefix,
  createdAt: k.createdAt,
  revokedAt: k.revokedAt,
  lastUsedAt: k.lastUsedAt,
});

export const notificationView = (m: OutboxRecord): NotificationView => ({
  id: m.id,
  to: m.to,
  subject: m.subject,
  body: m.body,
  reason: m.reason,
  status: m.status,
  attempts: m.attempts,
  lastError: m.lastError,
  createdAt: m.createdAt,
  sentAt: m.sentAt,
});
