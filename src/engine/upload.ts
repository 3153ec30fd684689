/** The HR Data Sync upload: an employee file is a full roster; a position file fills the position list. */
import { AppError } from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';
import { parsePositionFile } from '../sources/file/index.js';
import type { RunRecord, RunTrigger } from '../store/types.js';
import type { EngineDeps } from './deps.js';
import { parseEmployeeUpload } from './parse-file.js';
import { runSync, type Progress } from './run-sync.js';

/** The file source is enabled by the first upload when no other HR source is connected. */
async function ensureFileIntegration(deps: EngineDeps, tenantId: string): Promise<Result<string, AppError>> {
  const active = await deps.store.integrations.getActive(tenantId);
  if (active) {
    return active.provider === 'file'
      ? ok(active.id)
      : err(
          new AppError(
            'conflict',
            `This tenant syncs from ${active.provider}; file uploads are refused while it is connected. Disconnect it first.`,
          ),
        );
  }
  const created = await deps.store.integrations.create({
    id: deps.newId(),
    tenantId,
    provider: 'file',
    credentialsCiphertext: null,
    configuredFields: [],
    publicConfig: {},
    webhookTokenHash: null,
    managedFields: [],
  });
  return ok(created.id);
}

export interface UploadRequest {
  readonly tenantId: string;
  readonly content: Uint8Array | string;
  readonly format?: 'csv' | 'xml';
  readonly dryRun?: boolean;
  readonly trigger?: RunTrigger;
  readonly maxBytes?: number;
  readonly onProgress?: (p: Progress) => void;
  readonly onRunCreated?: (run: RunRecord) => void;
}

/** Parses an employee file (a malformed file is refused whole) and runs a full sync of it. */
export async function uploadEmployees(
  deps: EngineDeps,
  req: UploadRequest,
): Promise<Result<RunRecord, AppError>> {
  const tenant = await deps.store.tenants.get(req.tenantId);
  if (!tenant) return err(new AppError('not_found', `No tenant ${req.tenantId}.`));
  // Big files parse in a worker thread: a 50 MB XML must not freeze the server for its parse.
  const parsed = await parseEmployeeUpload(req.content, {
    ...(req.format ? { format: req.format } : {}),
    ...(req.maxBytes !== undefined ? { maxBytes: req.maxBytes } : {}),
  });
  if (!parsed.ok) return parsed;
  const integration = await ensureFileIntegration(deps, tenant.id);
  if (!integration.ok) return integration;
  return runSync(deps, {
    tenantId: tenant.id,
    trigger: req.trigger ?? 'upload',
    dryRun: req.dryRun ?? false,
    input: {
      kind: 'roster',
      roster: {
        people: parsed.value.people,
        managedFields: parsed.value.managedFields,
        issues: parsed.value.issues,
      },
    },
    ...(req.onProgress ? { onProgress: req.onProgress } : {}),
    ...(req.onRunCreated ? { onRunCreated: req.onRunCreated } : {}),
  });
}

/** Adds the positions of a position file (and their departments) to the reference lists; never deletes. */
export async function uploadPositions(
  deps: EngineDeps,
  req: Pick<UploadRequest, 'tenantId' | 'content' | 'maxBytes' | 'dryRun'>,
): Promise<Result<{ positions: number; created: number }, AppError>> {
  const tenant = await deps.store.tenants.get(req.tenantId);
  if (!tenant) return err(new AppError('not_found', `No tenant ${req.tenantId}.`));
  const parsed = parsePositionFile(req.content, req.maxBytes !== undefined ? { maxBytes: req.maxBytes } : {});
  if (!parsed.ok) return parsed;
  if (req.dryRun) {
    const existing = new Set(
      (await deps.store.directory.listReferences(tenant.id, 'positions')).map((p) => p.toLowerCase()),
    );
    const created = new Set(parsed.value.map((p) => p.title.toLowerCase()).filter((t) => !existing.has(t)));
    return ok({ positions: parsed.value.length, created: created.size });
  }
  const created = await deps.store.directory.upsertPositions(tenant.id, parsed.value);
  const departments = [...new Set(parsed.value.flatMap((p) => (p.department ? [p.department] : [])))];
  if (departments.length > 0) {
    await deps.store.apply(
      { tenantId: tenant.id, runId: null, references: [{ kind: 'departments', names: departments }] },
      { fence: null, now: deps.clock.now() },
    );
  }
  return ok({ positions: parsed.value.length, created });
}
