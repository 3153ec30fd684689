// The Personio source: spec, preflight check, paged read, by-id read and the pure mapping.
import { AppError, isAppError } from '../../core/errors.js';
import { err, ok } from '../../core/result.js';
import type { Result } from '../../core/result.js';
import { defineSource } from '../contract.js';
import type { CheckInfo, SourceContext } from '../contract.js';
import { createPersonioClient } from './client.js';
import { mapPersonioEmployee, personioAttributeKeys } from './map.js';
import type { PersonioEmployee } from './map.js';
import { personioSpec } from './spec.js';
import type { PersonioConfig } from './spec.js';

/** Employees read by the preflight: enough to see which attributes the credential exposes. */
const checkPageSize = 10;

/** Attributes the seed asks an admin to whitelist; without them the sync would blank or misjudge fields. */
const requiredAttributes: readonly { key: string; label: string }[] = [
  { key: personioAttributeKeys.email, label: 'email' },
  { key: personioAttributeKeys.firstName, label: 'first name' },
  { key: personioAttributeKeys.lastName, label: 'last name' },
  { key: personioAttributeKeys.gender, label: 'gender' },
  { key: personioAttributeKeys.department, label: 'department' },
  { key: personioAttributeKeys.jobTitle, label: 'position' },
  { key: personioAttributeKeys.status, label: 'status' },
  { key: personioAttributeKeys.firstHiredOn, label: 'hire date' },
  { key: personioAttributeKeys.supervisor, label: 'supervisor' },
];

/** Attributes that only sharpen leaver detection: their absence is reported, not refused. */
const optionalAttributes: readonly { key: string; label: string }[] = [
  { key: personioAttributeKeys.leavingDate, label: 'termination date' },
];

const missingIn = (
  sample: readonly PersonioEmployee[],
  wanted: readonly { key: string; label: string }[],
): string[] =>
  wanted.filter(({ key }) => !sample.some((e) => e.attributes[key] !== undefined)).map(({ label }) => label);

/**
 * The preflight behind "Connect" and "Update credentials": gets a token and reads one small page.
 * Expected failures come back as `err(AppError)` with an actionable message; bugs still throw.
 */
export async function checkPersonio(
  config: PersonioConfig,
  ctx: SourceContext,
): Promise<Result<CheckInfo, AppError>> {
  let client: ReturnType<typeof createPersonioClient> | null = null;
  try {
    client = createPersonioClient({ config, ctx });
    const page = await client.fetchPage({ offset: 0, limit: checkPageSize });
    const sample = page.employees;
    if (sample.length === 0) {
      return ok({ summary: 'Connected to Personio; the employee list is empty.', sample: 0 });
    }
    const missing = missingIn(sample, requiredAttributes);
    if (missing.length > 0) {
      return err(
        new AppError(
          'invalid_config',
          `The Personio API credential does not expose these employee attributes: ${missing.join(', ')}. In Personio open Settings > Integrations > API credentials, edit the credential, tick them under readable employee attributes, then 'Update credentials'.`,
          { kind: 'config', details: { provider: 'Personio', missing } },
        ),
      );
    }
    const optional = missingIn(sample, optionalAttributes);
    const note =
      optional.length === 0
        ? ''
        : ` The ${optional.join(', ')} attribute is not readable: leavers are detected from their status only.`;
    return ok({
      summary: `Connected to Personio: ${page.total} employee${page.total === 1 ? '' : 's'} (${sample.length} read to check).${note}`,
      sample: sample.length,
    });
  } catch (error) {
    if (isAppError(error)) return err(error);
    throw error;
  } finally {
    await client?.close();
  }
}

/** Every employee, page by page (100 per page); the sockets are released when the read ends or stops. */
export async function* readPersonio(
  config: PersonioConfig,
  ctx: SourceContext,
): AsyncGenerator<readonly PersonioEmployee[]> {
  const client = createPersonioClient({ config, ctx });
  try {
    yield* client.employees();
  } finally {
    await client.close();
  }
}

/** The named employees (partial sync); unknown ids are skipped. */
export async function* readPersonioByIds(
  config: PersonioConfig,
  ids: readonly string[],
  ctx: SourceContext,
): AsyncGenerator<readonly PersonioEmployee[]> {
  const client = createPersonioClient({ config, ctx });
  try {
    yield* client.employeesByIds(ids);
  } finally {
    await client.close();
  }
}

/** The Personio connector (registered as `personio`). */
export const personioSource = defineSource<PersonioConfig, PersonioEmployee>({
  spec: personioSpec,
  check: checkPersonio,
  read: readPersonio,
  readByIds: readPersonioByIds,
  map: mapPersonioEmployee,
});

export default personioSource;

export { mapPersonioEmployee } from './map.js';
export type { PersonioEmployee, PersonioAttribute } from './map.js';
export { personioSpec, personioConfigSchema } from './spec.js';
export type { PersonioConfig } from './spec.js';
export { createPersonioClient } from './client.js';
export type { PersonioClient, PersonioClientOptions, PersonioPage } from './client.js';
