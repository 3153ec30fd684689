/** The Nmbrs connector: SOAP API v3, companies read one by one, employees joined from the per-company calls. */
import { AppError } from '../../core/errors.js';
import { err, ok } from '../../core/result.js';
import type { Result } from '../../core/result.js';
import { defineSource } from '../contract.js';
import type { CheckInfo, SourceContext } from '../contract.js';
import { asAppError, createNmbrsClient, nmbrsBaseUrl, readAllEmployees } from './client.js';
import { mapNmbrsEmployee } from './map.js';
import type { NmbrsEmployeeRecord } from './records.js';
import { nmbrsSpec } from './spec.js';
import type { NmbrsConfig } from './spec.js';

/**
 * Preflight: authenticates, lists companies, and reads the first company with every call a sync
 * makes (one manager call), so a missing template permission shows up at "Connect".
 */
async function check(config: NmbrsConfig, ctx: SourceContext): Promise<Result<CheckInfo, AppError>> {
  const base = nmbrsBaseUrl(config, ctx);
  if (!base.ok) return base;
  const client = createNmbrsClient({ config, ctx, baseUrl: base.value });
  try {
    const companies = await client.companies();
    const first = companies[0];
    if (first === undefined) {
      return err(
        new AppError(
          'invalid_config',
          `Nmbrs domain '${config.domain}' shows no company to ${config.username}. Give this user's template access to your companies (Nmbrs: Settings → Template users), then click 'Update credentials'.`,
          { kind: 'config', details: { provider: 'Nmbrs' } },
        ),
      );
    }
    const types = await client.employeeTypes();
    const page = await client.readCompany({ company: first, types, managerLimit: 1 });
    const plural = companies.length === 1 ? 'company' : 'companies';
    return ok({
      summary: `Connected to Nmbrs domain '${config.domain}' as ${config.username}: ${companies.length} ${plural}; '${first.Name ?? first.ID}' has ${page.records.length} employees.`,
      sample: page.records.length,
    });
  } catch (error) {
    return err(asAppError(error));
  } finally {
    await client.close();
  }
}

async function* read(
  config: NmbrsConfig,
  ctx: SourceContext,
): AsyncGenerator<readonly NmbrsEmployeeRecord[]> {
  const base = nmbrsBaseUrl(config, ctx);
  if (!base.ok) throw base.error;
  const client = createNmbrsClient({ config, ctx, baseUrl: base.value });
  try {
    yield* readAllEmployees(client);
  } finally {
    await client.close();
  }
}

/** The Nmbrs source (provider id `nmbrs`). */
export const nmbrsSource = defineSource<NmbrsConfig, NmbrsEmployeeRecord>({
  spec: nmbrsSpec,
  check,
  read,
  map: mapNmbrsEmployee,
});

export default nmbrsSource;

export { mapNmbrsEmployee } from './map.js';
export type { NmbrsEmployeeRecord } from './records.js';
export { nmbrsConfigSchema, nmbrsSpec } from './spec.js';
export type { NmbrsConfig } from './spec.js';
