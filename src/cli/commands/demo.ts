/** The demo's data: four HR emulators, a synced tenant per source plus an upload tenant, an admin each. */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Env } from '../../config.js';
import type { AppError } from '../../core/errors.js';
import type { Result } from '../../core/result.js';
import {
  connect,
  createAdmin,
  createTenant,
  regenerateWebhook,
  runSync,
  updateCredentials,
  uploadEmployees,
  type EngineDeps,
} from '../../engine/index.js';
import {
  demoEmployeeCsv,
  emulatedProviders,
  emulatorUrlKey,
  startEmulatorFor,
  type EmulatedProvider,
  type StartedEmulator,
} from '../../engine/emulators.js';
import type { RunRecord, Tenant } from '../../store/types.js';

/** Fixed seeds and preferred ports: the same roster every start, at the same address when free. */
const demoSources: Readonly<Record<EmulatedProvider, { seed: number; port: number; title: string }>> = {
  personio: { seed: 1, port: 4101, title: 'Personio' },
  kiwihr: { seed: 2, port: 4102, title: 'KiwiHR' },
  nmbrs: { seed: 3, port: 4103, title: 'Nmbrs' },
  peoplehr: { seed: 4, port: 4104, title: 'People HR' },
};
const FILE_SEED = 5;

export interface DemoTenant {
  readonly tenant: Tenant;
  readonly source: string;
  readonly adminEmail: string;
  /** Null when the admin existed before and its password is no longer in the demo file. */
  readonly adminPassword: string | null;
  /** The sync this start ran (null when nothing needed to run or it could not start). */
  readonly run: RunRecord | null;
  readonly problem: string | null;
}

export interface DemoSetup {
  readonly tenants: readonly DemoTenant[];
  readonly emulators: readonly StartedEmulator[];
  /** Where the generated admin passwords are kept. */
  readonly passwordFile: string;
  /** Points the People HR emulator's webhook at the running server (a fresh secret URL each start). */
  wireWebhooks(baseUrl: string): Promise<void>;
  close(): Promise<void>;
}

/** Demo admin passwords, generated once and kept beside the database (mode 600), printed on every start. */
function passwordBook(dataDir: string): {
  file: string;
  get(slug: string): string | null;
  create(slug: string): string;
} {
  const file = join(dataDir, 'demo-admins.json');
  const book: Record<string, string> = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>)
    : {};
  return {
    file,
    get: (slug) => book[slug] ?? null,
    create(slug) {
      const password = randomBytes(12).toString('base64url');
      book[slug] = password;
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(file, `${JSON.stringify(book, null, 2)}\n`, { mode: 0o600 });
      chmodSync(file, 0o600);
      return password;
    },
  };
}

async function startEmulator(provider: EmulatedProvider, employees: number): Promise<StartedEmulator> {
  const { seed, port } = demoSources[provider];
  try {
    return await startEmulatorFor({ provider, employees, seed, port });
  } catch {
    return startEmulatorFor({ provider, employees, seed }); // the preferred port is taken: any port
  }
}

const unwrap = <T>(r: Result<T, AppError>): T => {
  if (!r.ok) throw r.error;
  return r.value;
};

async function ensureTenant(deps: EngineDeps, o: { slug: string; name: string }): Promise<Tenant> {
  return (
    (await deps.store.tenants.getBySlug(o.slug)) ??
    unwrap(await createTenant(deps, { slug: o.slug, name: o.name, timezone: 'Europe/Berlin' }))
  );
}

async function ensureAdmin(
  deps: EngineDeps,
  o: { tenant: Tenant; passwords: ReturnType<typeof passwordBook> },
): Promise<{ email: string; password: string | null }> {
  const email = `admin@${o.tenant.slug}.example`;
  if (await deps.store.admins.findByEmail(o.tenant.id, email))
    return { email, password: o.passwords.get(o.tenant.slug) };
  const password = o.passwords.create(o.tenant.slug);
  unwrap(await createAdmin(deps, { tenantId: o.tenant.id, email, password, role: 'admin' }));
  return { email, password };
}

/** Connects the tenant to its emulator, follows the emulator to a new address, or just syncs again. */
async function syncFromEmulator(
  deps: EngineDeps,
  tenant: Tenant,
  started: StartedEmulator,
): Promise<RunRecord | null> {
  const active = await deps.store.integrations.getActive(tenant.id);
  if (!active)
    return unwrap(
      await connect(deps, { tenantId: tenant.id, provider: started.provider, config: started.config }),
    ).run;
  const key = emulatorUrlKey(started.provider);
  if (active.publicConfig[key] !== started.config[key]) {
    const updated = await updateCredentials(deps, {
      tenantId: tenant.id,
      config: { [key]: started.config[key] },
    });
    return unwrap(updated).run;
  }
  return unwrap(await runSync(deps, { tenantId: tenant.id, trigger: 'manual' }));
}

/**
 * Starts the emulators and brings every demo tenant up to date. Idempotent: tenants, admins and
 * integrations from an earlier start are reused; a tenant that fails is reported, not fatal.
 */
export async function setUpDemo(o: { deps: EngineDeps; env: Env; employees: number }): Promise<DemoSetup> {
  const { deps } = o;
  const passwords = passwordBook(o.env.ROSTERSYNC_DATA_DIR);
  const emulators = await Promise.all(emulatedProviders.map((p) => startEmulator(p, o.employees)));
  const tenants: DemoTenant[] = [];
  try {
    for (const started of emulators) {
      const { title } = demoSources[started.provider];
      const tenant = await ensureTenant(deps, { slug: `demo-${started.provider}`, name: `Demo (${title})` });
      const admin = await ensureAdmin(deps, { tenant, passwords });
      let run: RunRecord | null = null;
      let problem: string | null = null;
      try {
        run = await syncFromEmulator(deps, tenant, started);
      } catch (error) {
        problem = error instanceof Error ? error.message : String(error);
      }
      tenants.push({
        tenant,
        source: title,
        adminEmail: admin.email,
        adminPassword: admin.password,
        run,
        problem,
      });
    }
    const fileTenant = await ensureTenant(deps, { slug: 'demo-file', name: 'Demo (CSV upload)' });
    const admin = await ensureAdmin(deps, { tenant: fileTenant, passwords });
    let run: RunRecord | null = null;
    let problem: string | null = null;
    if (!(await deps.store.integrations.getActive(fileTenant.id))) {
      const uploaded = await uploadEmployees(deps, {
        tenantId: fileTenant.id,
        content: demoEmployeeCsv({ employees: o.employees, seed: FILE_SEED }),
        format: 'csv',
      });
      if (uploaded.ok) run = uploaded.value;
      else problem = uploaded.error.message;
    }
    tenants.push({
      tenant: fileTenant,
      source: 'CSV upload',
      adminEmail: admin.email,
      adminPassword: admin.password,
      run,
      problem,
    });
  } catch (error) {
    await Promise.all(emulators.map((e) => e.emulator.close()));
    throw error;
  }

  return {
    tenants,
    emulators,
    passwordFile: passwords.file,
    async wireWebhooks(baseUrl) {
      const peoplehr = emulators.find((e) => e.provider === 'peoplehr');
      const tenant = tenants.find((t) => t.tenant.slug === 'demo-peoplehr');
      if (!peoplehr || !tenant || tenant.problem !== null) return;
      const webhook = await regenerateWebhook(deps, { tenantId: tenant.tenant.id });
      if (webhook.ok) peoplehr.emulator.state.webhookUrl = `${baseUrl}${webhook.value.webhookPath}`;
    },
    async close() {
      await Promise.all(emulators.map((e) => e.emulator.close()));
    },
  };
}

/** The summary a newcomer reads: where to go, who to sign in as, what each sync did. */
export async function printDemo(o: {
  deps: EngineDeps;
  setup: DemoSetup;
  url: string;
  seconds: number;
}): Promise<void> {
  const out: string[] = [
    '',
    `rostersync demo is running at ${o.url}  (ready in ${o.seconds.toFixed(1)} s)`,
    '',
  ];
  out.push('tenant           source      users (active)  last sync                  admin login');
  for (const t of o.setup.tenants) {
    const { total } = await o.deps.store.directory.listUsers(t.tenant.id, { limit: 1 });
    const active = (await o.deps.store.directory.listUsers(t.tenant.id, { limit: 1, active: true })).total;
    const run = t.run
      ? `${t.run.status} +${t.run.counts.created} ~${t.run.counts.updated} -${t.run.counts.deactivated}`
      : 'up to date';
    const login = `${t.adminEmail} / ${t.adminPassword ?? `(not in ${o.setup.passwordFile}: delete the data folder to reset)`}`;
    out.push(
      `${t.tenant.slug.padEnd(17)}${t.source.padEnd(12)}${`${total} (${active})`.padEnd(16)}${(t.problem ? `FAILED: ${t.problem}` : run).padEnd(27)}${login}`,
    );
  }
  out.push('', 'HR emulators (control API under /_emulator/, e.g. POST /_emulator/employees hires someone):');
  for (const e of o.setup.emulators)
    out.push(`  ${demoSources[e.provider].title.padEnd(10)} ${e.emulator.url}`);
  out.push(
    '',
    `API: ${o.url}/api/v1 (OpenAPI at ${o.url}/api/v1/openapi.json). People HR changes reach the directory by webhook.`,
    `Passwords are generated once and kept in ${o.setup.passwordFile}.`,
    '',
  );
  process.stdout.write(out.join('\n'));
}
