/** `migrate` and `tenant create`: setting up the database and the companies in it. */
import type { Command } from 'commander';
import { createTenant } from '../../engine/index.js';
import { print, unwrap, withEngine } from '../context.js';

export function registerAdmin(program: Command): void {
  program
    .command('migrate')
    .description('create or upgrade the database schema')
    .option('--json', 'JSON output for scripts')
    .action(async (o: { json?: boolean }) => {
      await withEngine(async (deps) => {
        await deps.store.migrate();
        print({ migrated: true, dialect: deps.store.dialect }, o.json ?? false, () =>
          console.log(`✓ ${deps.store.dialect} schema is up to date`),
        );
      });
    });

  const tenant = program.command('tenant').description('tenants (companies)');
  tenant
    .command('create <slug>')
    .requiredOption('--name <name>', 'display name')
    .option('--timezone <tz>', 'IANA time zone for the daily sync and leaving dates', 'UTC')
    .option('--json', 'JSON output for scripts')
    .action(async (slug: string, o: { name: string; timezone: string; json?: boolean }) => {
      await withEngine(async (deps) => {
        const created = unwrap(await createTenant(deps, { slug, name: o.name, timezone: o.timezone }));
        print(
          { id: created.id, slug: created.slug, name: created.name, timezone: created.timezone },
          o.json ?? false,
          () => console.log(`✓ tenant ${created.slug} (${created.name}, ${created.timezone})`),
        );
      });
    });
  tenant
    .command('list')
    .option('--json', 'JSON output for scripts')
    .action(async (o: { json?: boolean }) => {
      await withEngine(async (deps) => {
        const rows = (await deps.store.tenants.list()).map((t) => ({
          slug: t.slug,
          name: t.name,
          timezone: t.timezone,
        }));
        print(rows, o.json ?? false, () =>
          rows.forEach((t) => console.log(`${t.slug}\t${t.name}\t${t.timezone}`)),
        );
      });
    });
}
