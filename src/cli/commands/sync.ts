/** `upload`, `sync`, `connect`, `disconnect`: everything that changes the directory, each with --dry-run. */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  confirmRun,
  connect,
  disconnect,
  runSync,
  runView,
  uploadEmployees,
  uploadPositions,
  type EngineDeps,
} from '../../engine/index.js';
import type { RunRecord } from '../../store/types.js';
import {
  CliExit,
  EXIT,
  exitCodeFor,
  print,
  progressBar,
  requireTenant,
  unwrap,
  withEngine,
} from '../context.js';
import { remoteExitCode, remoteUpload } from './remote-upload.js';
import { printRun } from './runs.js';

/** With --confirm, a blocked run is applied right away (the admin has seen the numbers). */
async function finishRun(
  deps: EngineDeps,
  run: RunRecord,
  o: { confirm?: boolean; json?: boolean },
): Promise<void> {
  let final = run;
  if (run.status === 'blocked' && o.confirm) {
    final = unwrap(await confirmRun(deps, { tenantId: run.tenantId, runId: run.id }));
  }
  printRun(await runView(deps, final), o.json ?? false);
  if (final.status === 'blocked' && !o.json) {
    process.stderr.write(
      `Blocked: confirm with 'rostersync runs confirm ${final.id} --tenant <slug>' or --confirm.\n`,
    );
  }
  process.exitCode = exitCodeFor(final);
}

/** Parses repeated `--set key=value` options. */
function collectSet(value: string, previous: Record<string, string>): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new CliExit(EXIT.usage, `--set expects key=value, got '${value}'`);
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
}

interface UploadOptions {
  tenant?: string;
  server?: string;
  apiKey?: string;
  kind: string;
  format?: string;
  dryRun?: boolean;
  confirm?: boolean;
  json?: boolean;
}

/** Remote mode: the file goes to a running server with an API key; the run is followed until it ends. */
async function uploadRemote(file: string, content: Buffer, o: UploadOptions): Promise<void> {
  const apiKey = o.apiKey ?? process.env.ROSTERSYNC_API_KEY;
  if (!apiKey)
    throw new CliExit(
      EXIT.usage,
      'Remote upload needs --api-key <key> or ROSTERSYNC_API_KEY (scope hr-data:write).',
    );
  if (o.confirm)
    throw new CliExit(EXIT.usage, '--confirm is local only: confirm a blocked run in the web UI or the API.');
  const result = await remoteUpload({
    server: o.server ?? '',
    apiKey,
    file,
    content,
    kind: o.kind as 'employees' | 'positions',
    dryRun: o.dryRun ?? false,
    ...(o.format ? { format: o.format as 'csv' | 'xml' } : {}),
    ...(o.json ? {} : { progress: (line: string) => process.stderr.write(`${line}\n`) }),
  });
  if (result.kind === 'positions') {
    print(result, o.json ?? false, () => console.log(`${result.positions} positions, ${result.created} new`));
    return;
  }
  printRun(result.run, o.json ?? false);
  process.exitCode = remoteExitCode(result.run.status);
}

export function registerSync(program: Command): void {
  program
    .command('upload <file>')
    .description('upload an employee file (CSV or XML, a full roster) or a position file (XML)')
    .option('--tenant <slug>', "tenant slug (local mode: this machine's database)")
    .option(
      '--server <url>',
      'upload to a running rostersync instead (remote mode), e.g. https://rostersync.example.com',
    )
    .option(
      '--api-key <key>',
      'remote mode: a key with the hr-data:write scope (default: $ROSTERSYNC_API_KEY)',
    )
    .option('--kind <kind>', 'employees | positions', 'employees')
    .option('--format <format>', 'csv | xml (default: detected)')
    .option('--dry-run', 'print the plan, change nothing')
    .option('--confirm', 'apply even if the mass-change guard blocks the run')
    .option('--json', 'JSON output for scripts')
    .action(async (file: string, o: UploadOptions) => {
      if (o.kind !== 'employees' && o.kind !== 'positions') {
        throw new CliExit(EXIT.usage, `--kind must be employees or positions, not '${o.kind}'`);
      }
      if (o.format !== undefined && o.format !== 'csv' && o.format !== 'xml') {
        throw new CliExit(EXIT.usage, `--format must be csv or xml, not '${o.format}'`);
      }
      const content = await readFile(file);
      if (o.server !== undefined) {
        await uploadRemote(file, content, o);
        return;
      }
      if (o.tenant === undefined)
        throw new CliExit(EXIT.usage, 'Give --tenant <slug> (local) or --server <url> (remote).');
      const slug = o.tenant;
      await withEngine(async (deps) => {
        const tenant = await requireTenant(deps, slug);
        if (o.kind === 'positions') {
          const result = unwrap(
            await uploadPositions(deps, { tenantId: tenant.id, content, dryRun: o.dryRun ?? false }),
          );
          print(result, o.json ?? false, () =>
            console.log(`${result.positions} positions, ${result.created} new`),
          );
          return;
        }
        const bar = progressBar(!o.json);
        const run = unwrap(
          await uploadEmployees(deps, {
            tenantId: tenant.id,
            content,
            trigger: 'cli',
            dryRun: o.dryRun ?? false,
            ...(o.format ? { format: o.format as 'csv' | 'xml' } : {}),
            ...(bar.onProgress ? { onProgress: bar.onProgress } : {}),
          }),
        );
        bar.stop();
        await finishRun(deps, run, o);
      });
    });

  program
    .command('sync')
    .description('run a full sync of the connected HR source now')
    .requiredOption('--tenant <slug>', 'tenant slug')
    .option('--dry-run', 'print the plan, change nothing')
    .option('--confirm', 'apply even if the mass-change guard blocks the run')
    .option('--json', 'JSON output for scripts')
    .action(async (o: { tenant: string; dryRun?: boolean; confirm?: boolean; json?: boolean }) => {
      await withEngine(async (deps) => {
        const tenant = await requireTenant(deps, o.tenant);
        const bar = progressBar(!o.json);
        const run = unwrap(
          await runSync(deps, {
            tenantId: tenant.id,
            trigger: 'cli',
            dryRun: o.dryRun ?? false,
            ...(bar.onProgress ? { onProgress: bar.onProgress } : {}),
          }),
        );
        bar.stop();
        await finishRun(deps, run, o);
      });
    });

  program
    .command('connect <provider>')
    .description('verify HR credentials, store them encrypted, and run the first full sync')
    .requiredOption('--tenant <slug>', 'tenant slug')
    .option('--set <key=value>', 'a connection setting (repeat)', collectSet, {})
    .option('--dry-run', 'only verify the credentials (preflight); store nothing')
    .option('--json', 'JSON output for scripts')
    .action(
      async (
        provider: string,
        o: { tenant: string; set: Record<string, string>; dryRun?: boolean; json?: boolean },
      ) => {
        await withEngine(async (deps) => {
          const tenant = await requireTenant(deps, o.tenant);
          const source = deps.sources(provider);
          if (!source) throw new CliExit(EXIT.usage, `Unknown provider '${provider}'.`);
          if (o.dryRun) {
            const checked = unwrap(await source.check(o.set, { allowLoopback: deps.allowLoopbackSources }));
            print(checked, o.json ?? false, () => console.log(`✓ ${checked.summary}`));
            return;
          }
          const result = unwrap(await connect(deps, { tenantId: tenant.id, provider, config: o.set }));
          const run = result.run ? await runView(deps, result.run) : null;
          print(
            {
              integrationId: result.integration.id,
              provider,
              check: result.check,
              webhookPath: result.webhookPath,
              run,
            },
            o.json ?? false,
            () => {
              console.log(`✓ connected ${source.spec.title}: ${result.check.summary}`);
              if (result.webhookPath) console.log(`webhook path (shown once): ${result.webhookPath}`);
              if (run) printRun(run, false);
            },
          );
          if (result.run) process.exitCode = exitCodeFor(result.run);
        });
      },
    );

  program
    .command('disconnect')
    .description('delete the credentials and source links; users stay as they are')
    .requiredOption('--tenant <slug>', 'tenant slug')
    .requiredOption('--confirm <text>', 'must be exactly "OK, I understand"')
    .option('--json', 'JSON output for scripts')
    .action(async (o: { tenant: string; confirm: string; json?: boolean }) => {
      await withEngine(async (deps) => {
        const tenant = await requireTenant(deps, o.tenant);
        const result = unwrap(await disconnect(deps, { tenantId: tenant.id, confirm: o.confirm }));
        print(result, o.json ?? false, () =>
          console.log(`✓ disconnected; ${result.unlinkedUsers} users unlinked and kept as they are`),
        );
      });
    });
}
