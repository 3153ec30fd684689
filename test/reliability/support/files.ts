/** Upload helpers: small employee files in the documented columns, and a file-source tenant. */
import { randomUUID } from 'node:crypto';
import { uploadEmployees, type EngineDeps } from '../../../src/engine/index.js';
import type { RunRecord, Store, Tenant } from '../../../src/store/index.js';
import { testDeps } from '../../support/engine.js';
import { ADMIN_EMAIL } from './world.js';

export interface FileRow {
  readonly id: string;
  readonly email: string;
  readonly first: string;
  readonly last: string;
}

export const fileRows = (n: number, prefix = 'e'): FileRow[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `${prefix}${i + 1}`,
    email: `${prefix}${i + 1}@acme.example`,
    first: `First${i + 1}`,
    last: `Last${i + 1}`,
  }));

/** A CSV employee file with the four required columns (no quoting needed for these rows). */
export const employeeCsv = (rows: readonly FileRow[]): string =>
  [
    'employee_id,email,first_name,last_name',
    ...rows.map((r) => `${r.id},${r.email},${r.first},${r.last}`),
  ].join('\n') + '\n';

/** The same rows as an XML employee file. */
export const employeeXml = (rows: readonly FileRow[]): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<employees>\n${rows
    .map(
      (r) =>
        `  <employee><employee_id>${r.id}</employee_id><email>${r.email}</email>` +
        `<first_name>${r.first}</first_name><last_name>${r.last}</last_name></employee>`,
    )
    .join('\n')}\n</employees>\n`;

/** A tenant (with an admin) whose source is file uploads, after a first upload of `rows`. */
export async function fileWorld(
  store: Store,
  o: { rows: readonly FileRow[]; format?: 'csv' | 'xml' },
): Promise<{ deps: EngineDeps; tenant: Tenant; first: RunRecord }> {
  const deps = testDeps(store);
  const id = randomUUID();
  const tenant = await store.tenants.create({ id, slug: `f-${id.slice(0, 12)}`, name: 'FileCo' });
  await store.admins.create({
    id: randomUUID(),
    tenantId: tenant.id,
    email: ADMIN_EMAIL,
    passwordHash: 'x',
    role: 'admin',
  });
  const format = o.format ?? 'csv';
  const content = format === 'csv' ? employeeCsv(o.rows) : employeeXml(o.rows);
  const first = await uploadEmployees(deps, { tenantId: tenant.id, content, format });
  if (!first.ok) throw first.error;
  return { deps, tenant, first: first.value };
}
