/** Connect, update credentials and disconnect an HR source (the seeds' Connect / Update API key / Disconnect). */
import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';
import type { CheckInfo, Source } from '../sources/contract.js';
import type { IntegrationRecord, RunRecord } from '../store/types.js';
import type { EngineDeps } from './deps.js';
import { credentialsAad, runSync, sourceFor } from './run-sync.js';

export const DISCONNECT_CONFIRMATION = 'OK, I understand';

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export interface ConnectResult {
  readonly integration: IntegrationRecord;
  readonly check: CheckInfo;
  /** The first full sync (its status says whether it applied, was blocked or failed). */
  readonly run: RunRecord | null;
  /** Path of the webhook URL (`/webhooks/<provider>/<token>`), shown once: only its hash is stored. */
  readonly webhookPath: string | null;
}

function splitConfig(
  source: Source,
  raw: unknown,
): Result<{ secrets: Record<string, unknown>; pub: Record<string, string> }, AppError> {
  const parsed = source.spec.configSchema.safeParse(raw);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`);
    return err(
      new AppError('invalid_config', `${source.spec.title} settings are not valid: ${fields.join('; ')}`, {
        details: {
          fields: parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
        },
      }),
    );
  }
  const value = parsed.data as Record<string, unknown>;
  const secretKeys = new Set<string>(source.spec.secretFields);
  const secrets: Record<string, unknown> = {};
  const pub: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    if (secretKeys.has(key)) secrets[key] = v;
    else pub[key] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  return ok({ secrets, pub });
}

async function preflight(
  deps: EngineDeps,
  source: Source,
  config: unknown,
): Promise<Result<CheckInfo, AppError>> {
  return source.check(config, {
    allowLoopback: deps.allowLoopbackSources,
    ...(deps.retry ? { retry: deps.retry } : {}),
  });
}

/** Verifies the credentials (preflight), stores them encrypted, then runs the first full sync. */
export async function connect(
  deps: EngineDeps,
  o: { tenantId: string; provider: string; config: unknown; sync?: boolean },
): Promise<Result<ConnectResult, AppError>> {
  const source = deps.sources(o.provider);
  if (!source) return err(new AppError('invalid_input', `Unknown HR source '${o.provider}'.`));
  const tenant = await deps.store.tenants.get(o.tenantId);
  if (!tenant) return err(new AppError('not_found', `No tenant ${o.tenantId}.`));
  const active = await deps.store.integrations.getActive(tenant.id);
  if (active) {
    return err(
      new AppError('conflict', `${tenant.name} already syncs from ${active.provider}; disconnect it first.`),
    );
  }
  const split = splitConfig(source, o.config);
  if (!split.ok) return split;
  const checked = await preflight(deps, source, { ...split.value.pub, ...split.value.secrets });
  if (!checked.ok) return checked;

  const id = deps.newId();
  const token = source.spec.webhooks ? randomBytes(32).toString('base64url') : null;
  const integration = await deps.store.integrations.create({
    id,
    tenantId: tenant.id,
    provider: source.spec.id,
    credentialsCiphertext:
      Object.keys(split.value.secrets).length > 0
        ? deps.cipher.encrypt(split.value.secrets, credentialsAad(id))
        : null,
    configuredFields: Object.keys({ ...split.value.pub, ...split.value.secrets }).sort(),
    publicConfig: split.value.pub,
    webhookTokenHash: token === null ? null : hashToken(token),
    managedFields: [...source.spec.managedFields],
  });
  let run: RunRecord | null = null;
  if (o.sync ?? true) {
    const synced = await runSync(deps, { tenantId: tenant.id, trigger: 'connect' });
    run = synced.ok ? synced.value : null;
  }
  return ok({
    integration,
    check: checked.value,
    run,
    webhookPath: token === null ? null : `/webhooks/${source.spec.id}/${token}`,
  });
}

/** "Update API key": verifies the new credentials, replaces them, then runs a full sync. */
export async function updateCredentials(
  deps: EngineDeps,
  o: { tenantId: string; config: Record<string, unknown>; sync?: boolean },
): Promise<Result<{ integration: IntegrationRecord; run: RunRecord | null }, AppError>> {
  const integration = await deps.store.integrations.getActive(o.tenantId);
  if (!integration) return err(new AppError('not_found', 'No HR source is connected.'));
  const current = sourceFor(deps, integration);
  if (!current.ok) return current;
  const split = splitConfig(current.value.source, { ...current.value.config, ...o.config });
  if (!split.ok) return split;
  const checked = await preflight(deps, current.value.source, { ...split.value.pub, ...split.value.secrets });
  if (!checked.ok) return checked;
  const updated = await deps.store.integrations.update(o.tenantId, integration.id, {
    credentialsCiphertext: deps.cipher.encrypt(split.value.secrets, credentialsAad(integration.id)),
    configuredFields: Object.keys({ ...split.value.pub, ...split.value.secrets }).sort(),
    publicConfig: split.value.pub,
    failureStreak: integration.failureStreak,
    quarantinedUntil: null,
  });
  let run: RunRecord | null = null;
  if (o.sync ?? true) {
    const synced = await runSync(deps, { tenantId: o.tenantId, trigger: 'manual' });
    run = synced.ok ? synced.value : null;
  }
  return ok({ integration: updated, run });
}

/** Issues a new webhook URL (the old one stops working at once). */
export async function regenerateWebhook(
  deps: EngineDeps,
  o: { tenantId: string },
): Promise<Result<{ webhookPath: string }, AppError>> {
  const integration = await deps.store.integrations.getActive(o.tenantId);
  const source = integration ? deps.sources(integration.provider) : undefined;
  if (!integration || !source?.spec.webhooks) {
    return err(new AppError('not_found', 'The connected HR source does not use webhooks.'));
  }
  const token = randomBytes(32).toString('base64url');
  await deps.store.integrations.update(o.tenantId, integration.id, { webhookTokenHash: hashToken(token) });
  return ok({ webhookPath: `/webhooks/${source.spec.id}/${token}` });
}

/**
 * Disconnect, confirmed with "OK, I understand": credentials deleted, webhook URL invalidated, links to
 * source ids dropped; users stay exactly as they are. Reconnecting matches by email again.
 */
export async function disconnect(
  deps: EngineDeps,
  o: { tenantId: string; confirm: string },
): Promise<Result<{ integrationId: string; unlinkedUsers: number }, AppError>> {
  if (o.confirm !== DISCONNECT_CONFIRMATION) {
    return err(
      new AppError('invalid_input', `To disconnect, confirm with exactly "${DISCONNECT_CONFIRMATION}".`),
    );
  }
  const integration = await deps.store.integrations.getActive(o.tenantId);
  if (!integration) return err(new AppError('not_found', 'No HR source is connected.'));
  const fence = await deps.store.leases.acquire({
    integrationId: integration.id,
    owner: deps.owner,
    ttlMs: deps.leaseTtlMs,
    now: deps.clock.now(),
  });
  if (!fence) return err(new AppError('run_in_progress', 'A sync is running; disconnect when it is done.'));
  try {
    const { unlinkedUsers } = await deps.store.integrations.disconnect(o.tenantId, integration.id);
    return ok({ integrationId: integration.id, unlinkedUsers });
  } finally {
    await deps.store.leases.release(fence).catch(() => undefined);
  }
}
