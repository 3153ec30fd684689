/** `admin create` and `apikey create|list|revoke`: who may sign in to rostersync and which scripts may call it. */
import type { Command } from 'commander';
import { apiKeyScopes, createAdmin, createApiKey, revokeApiKey } from '../../engine/index.js';
import { adminRoles, type AdminRole } from '../../store/index.js';
import { CliExit, EXIT, print, requireTenant, unwrap, withEngine } from '../context.js';
import { renderTable } from '../table.js';

/** Reads all of standard input (the password is piped, never typed on the command line). */
async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) {
    throw new CliExit(
      EXIT.usage,
      'Pipe the password into --password-stdin, e.g. `printf %s "$PASSWORD" | rostersync admin create ...`.',
    );
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin)
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

/** `--scope a --scope b` and `--scope a,b` both work. */
function collectScopes(value: string, previous: string[]): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  ];
}

export function registerAccounts(program: Command): void {
  const admin = program.command('admin').description('admins (company managers) who sign in to the web UI');
  admin
    .command('create')
    .description('create an admin (or a read-only viewer) of a tenant; the password comes from stdin')
    .requiredOption('--tenant <slug>', 'tenant slug')
    .requiredOption('--email <email>', "the admin's work email (her sign-in)")
    .option('--password-stdin', 'read the password from standard input')
    .option('--role <role>', `${adminRoles.join(' | ')}`, 'admin')
    .option('--json', 'JSON output for scripts')
    .action(
      async (o: { tenant: string; email: string; passwordStdin?: boolean; role: string; json?: boolean }) => {
        if (!o.passwordStdin) {
          throw new CliExit(
            EXIT.usage,
            'Pass --password-stdin and pipe the password in (a password on the command line leaks into shell history).',
          );
        }
        if (!(adminRoles as readonly string[]).includes(o.role)) {
          throw new CliExit(EXIT.usage, `--role must be ${adminRoles.join(' or ')}, not '${o.role}'`);
        }
        // One trailing newline is what `echo` adds, not part of the password.
        const password = (await readStdin()).replace(/\r?\n$/, '');
        await withEngine(async (deps) => {
          const tenant = await requireTenant(deps, o.tenant);
          const created = unwrap(
            await createAdmin(deps, {
              tenantId: tenant.id,
              email: o.email,
              password,
              role: o.role as AdminRole,
            }),
          );
          print(
            { id: created.id, email: created.email, role: created.role, tenant: tenant.slug },
            o.json ?? false,
            () => console.log(`✓ ${created.role} ${created.email} can sign in to ${tenant.slug}`),
          );
        });
      },
    );

  const apikey = program
    .command('apikey')
    .description('API keys for the upload API, the directory API/SCIM and the admin API');
  apikey
    .command('create')
    .description('create an API key; it is printed once and stored only as a hash')
    .requiredOption('--tenant <slug>', 'tenant slug')
    .requiredOption('--name <name>', 'what the key is for, e.g. "payroll export"')
    .requiredOption('--scope <scope>', `${apiKeyScopes.join(' | ')} (repeat for several)`, collectScopes, [])
    .option('--json', 'JSON output for scripts: {"id","key","scopes"}')
    .action(async (o: { tenant: string; name: string; scope: string[]; json?: boolean }) => {
      await withEngine(async (deps) => {
        const tenant = await requireTenant(deps, o.tenant);
        const { key, record } = unwrap(
          await createApiKey(deps, { tenantId: tenant.id, name: o.name, scopes: o.scope }),
        );
        print({ id: record.id, key, scopes: record.scopes }, o.json ?? false, () => {
          console.log(key);
          process.stderr.write(
            `✓ key '${record.name}' (${record.scopes.join(', ')}), id ${record.id}. Store it now: it is not shown again.\n`,
          );
        });
      });
    });
  apikey
    .command('list')
    .description('list the API keys of a tenant (never the keys themselves)')
    .requiredOption('--tenant <slug>', 'tenant slug')
    .option('--json', 'JSON output for scripts')
    .action(async (o: { tenant: string; json?: boolean }) => {
      await withEngine(async (deps) => {
        const tenant = await requireTenant(deps, o.tenant);
        const rows = (await deps.store.apiKeys.list(tenant.id)).map((k) => ({
          id: k.id,
          name: k.name,
          scopes: k.scopes,
          prefix: k.prefix,
          createdAt: k.createdAt,
          lastUsedAt: k.lastUsedAt,
          revokedAt: k.revokedAt,
        }));
        print(rows, o.json ?? false, () =>
          console.log(
            renderTable(rows, ['id', 'name', 'scopes', 'prefix', 'createdAt', 'lastUsedAt', 'revokedAt']),
          ),
        );
      });
    });
  apikey
    .command('revoke <id>')
    .description('revoke an API key at once')
    .requiredOption('--tenant <slug>', 'tenant slug')
    .option('--json', 'JSON output for scripts')
    .action(async (id: string, o: { tenant: string; json?: boolean }) => {
      await withEngine(async (deps) => {
        const tenant = await requireTenant(deps, o.tenant);
        const revoked = unwrap(await revokeApiKey(deps, { tenantId: tenant.id, id }));
        print({ id: revoked.id, revokedAt: revoked.revokedAt }, o.json ?? false, () =>
          console.log(`✓ key '${revoked.name}' revoked`),
        );
      });
    });
}
