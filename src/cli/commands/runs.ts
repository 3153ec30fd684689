/** `runs list|show|confirm`: sync history, one run's report, and confirming a blocked run. */
import type { Command } from 'commander';
import { confirmRun, runView, type RunView } from '../../engine/index.js';
import { AppError, exitCodeFor, print, requireTenant, unwrap, withEngine } from '../context.js';
import { renderTable } from '../table.js';

export function printRun(view: RunView, json: boolean): void {
  print(view, json, () => {
    const c = view.counts;
    console.log(`run ${view.id}: ${view.status} (${view.provider}, ${view.mode}, ${view.trigger})`);
    if (view.message) console.log(view.message);
    console.log(
      `created ${c.created}, updated ${c.updated}, deactivated ${c.deactivated}, reactivated ${c.reactivated}, deleted ${c.deleted}, unchanged ${c.unchanged}, errors ${c.errors}`,
    );
    if (view.errors.length > 0) console.log(renderTable(view.errors, ['record', 'field', 'code', 'message']));
  });
}

export function registerRuns(program: Command): void {
  const runs = program.command('runs').description('sync runs');
  runs
    .command('list')
    .requiredOption('--tenant <slug>', 'tenant slug')
    .option('--limit <n>', 'how many', '50')
    .option('--json', 'JSON output for scripts')
    .action(async (o: { tenant: string; limit: string; json?: boolean }) => {
      await withEngine(async (deps) => {
        const tenant = await requireTenant(deps, o.tenant);
        const list = await deps.store.runs.list(tenant.id, { limit: Number(o.limit) || 50 });
        const rows = list.map((r) => ({
          id: r.id,
          status: r.status,
          provider: r.provider,
          trigger: r.trigger,
          startedAt: r.startedAt,
          counts: r.counts,
        }));
        print(rows, o.json ?? false, () =>
          console.log(
            renderTable(
              rows.map((r) => ({
                ...r,
                changes: `+${r.counts.created} ~${r.counts.updated} -${r.counts.deactivated} !${r.counts.errors}`,
              })),
              ['id', 'status', 'provider', 'trigger', 'startedAt', 'changes'],
            ),
          ),
        );
      });
    });
  runs
    .command('show <id>')
    .requiredOption('--tenant <slug>', 'tenant slug')
    .option('--json', 'JSON output for scripts')
    .action(async (id: string, o: { tenant: string; json?: boolean }) => {
      await withEngine(async (deps) => {
        const tenant = await requireTenant(deps, o.tenant);
        const run = await deps.store.runs.get(tenant.id, id);
        if (!run) throw new AppError('not_found', `No run ${id} in tenant '${o.tenant}'.`);
        printRun(await runView(deps, run), o.json ?? false);
      });
    });
  runs
    .command('confirm <id>')
    .description('apply a blocked run exactly as planned')
    .requiredOption('--tenant <slug>', 'tenant slug')
    .option('--json', 'JSON output for scripts')
    .action(async (id: string, o: { tenant: string; json?: boolean }) => {
      await withEngine(async (deps) => {
        const tenant = await requireTenant(deps, o.tenant);
        const run = unwrap(await confirmRun(deps, { tenantId: tenant.id, runId: id }));
        printRun(await runView(deps, run), o.json ?? false);
        process.exitCode = exitCodeFor(run);
      });
    });
}
