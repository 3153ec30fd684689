/** `rostersync upload <file> --server <url> --api-key <key>`: the "console app" that uploads to a running rostersync. */
import { basename } from 'node:path';
import type { RunView } from '../../engine/index.js';
import { CliExit, EXIT } from '../context.js';

/** The slice of the server's run answer (GET /api/v1/runs/:id) the console needs. */
interface RemoteRun {
  readonly id: string;
  readonly status: RunView['status'];
  readonly provider: string;
  readonly mode: RunView['mode'];
  readonly trigger: RunView['trigger'];
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly message: string | null;
  readonly counts: RunView['counts'];
  readonly guard: Readonly<Record<string, unknown>> | null;
  readonly items: {
    readonly items: readonly {
      record: string;
      field: string | null;
      code: string | null;
      message: string | null;
    }[];
  };
}

export interface RemoteUploadOptions {
  readonly server: string;
  readonly apiKey: string;
  readonly file: string;
  readonly content: Uint8Array;
  readonly kind: 'employees' | 'positions';
  readonly format?: 'csv' | 'xml';
  readonly dryRun?: boolean;
  /** Between two looks at the run (default 1 s). */
  readonly pollMs?: number;
  /** Give up waiting after this long (default 1 hour); the run goes on on the server. */
  readonly timeoutMs?: number;
  /** Progress lines (stderr in the CLI). */
  readonly progress?: (line: string) => void;
}

export type RemoteUploadResult =
  | { readonly kind: 'run'; readonly run: RunView }
  | {
      readonly kind: 'positions';
      readonly positions: number;
      readonly created: number;
      readonly dryRun: boolean;
    };

/** Exit codes as the local command gives them: 0 ok/dry run, 3 blocked, 4 partial, 1 failed. */
export function remoteExitCode(status: RunView['status']): number {
  if (status === 'succeeded' || status === 'dry_run') return EXIT.ok;
  if (status === 'partial') return EXIT.partial;
  if (status === 'blocked') return EXIT.blocked;
  return EXIT.failed;
}

const contentTypeOf = (o: Pick<RemoteUploadOptions, 'format' | 'file' | 'content'>): string => {
  const ext = o.file.toLowerCase().split('.').pop();
  const format = o.format ?? (ext === 'xml' || ext === 'csv' ? ext : undefined);
  if (format === 'csv') return 'text/csv';
  if (format === 'xml') return 'application/xml';
  const head = new TextDecoder()
    .decode(o.content.subarray(0, 200))
    .replace(/^\uFEFF/, '')
    .trimStart();
  return head.startsWith('<') ? 'application/xml' : 'text/csv';
};

const formatSize = (bytes: number): string =>
  bytes < 1024
    ? `${bytes} B`
    : bytes < 1024 * 1024
      ? `${(bytes / 1024).toFixed(1)} KB`
      : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** The server's error answer as a CLI failure: the message users see, and the exit code of the local command. */
async function failure(res: Response): Promise<CliExit> {
  const text = await res.text();
  let message = `The server answered ${res.status}.`;
  let code: string | undefined;
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string } };
    message = body.error?.message ?? message;
    code = body.error?.code;
  } catch {
    // Not our error shape (a proxy page): keep the status line.
  }
  const retry = res.headers.get('retry-after');
  const hint = res.status === 429 && retry ? ` Retry in ${retry} s.` : '';
  return new CliExit(
    code === 'invalid_input' || code === 'invalid_config' ? EXIT.usage : EXIT.failed,
    `✗ ${message}${hint}`,
  );
}

const toView = (run: RemoteRun): RunView => ({
  id: run.id,
  status: run.status,
  provider: run.provider,
  mode: run.mode,
  trigger: run.trigger,
  startedAt: run.startedAt,
  finishedAt: run.finishedAt,
  message: run.message,
  counts: run.counts,
  errors: run.items.items.map((i) => ({
    record: i.record,
    field: i.field,
    code: i.code,
    message: i.message,
  })),
  guard: run.guard,
});

/**
 * Uploads the file, then follows the run until it leaves `running`, reporting progress. Failures of the
 * upload itself (bad key, malformed file, too large) throw a CliExit with the server's message.
 */
export async function remoteUpload(o: RemoteUploadOptions): Promise<RemoteUploadResult> {
  const base = o.server.replace(/\/+$/, '');
  const headers = { authorization: `Bearer ${o.apiKey}` };
  const say = o.progress ?? (() => undefined);
  const url = `${base}/api/v1/hr-data/${o.kind}${o.dryRun ? '?dryRun=true' : ''}`;
  say(`uploading ${basename(o.file)} (${formatSize(o.content.byteLength)}) to ${base}`);
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': contentTypeOf(o) },
      body: new Uint8Array(o.content),
    });
  } catch (cause) {
    throw new CliExit(
      EXIT.failed,
      `✗ Cannot reach ${base}: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
  }
  if (!res.ok) throw await failure(res);
  if (o.kind === 'positions') {
    const body = (await res.json()) as { positions: number; created: number; dryRun: boolean };
    return { kind: 'positions', ...body };
  }
  if (res.status === 200) return { kind: 'run', run: toView(((await res.json()) as { run: RemoteRun }).run) };

  const { runId } = (await res.json()) as { runId: string };
  say(`accepted: run ${runId}`);
  const deadline = Date.now() + (o.timeoutMs ?? 3_600_000);
  let last = '';
  for (;;) {
    const got = await fetch(`${base}/api/v1/runs/${encodeURIComponent(runId)}?action=error&limit=500`, {
      headers,
    });
    if (!got.ok) throw await failure(got);
    const run = (await got.json()) as RemoteRun;
    if (run.status !== last) {
      say(`run ${runId}: ${run.status}`);
      last = run.status;
    }
    if (run.status !== 'running' && run.status !== 'queued') return { kind: 'run', run: toView(run) };
    if (Date.now() > deadline) {
      throw new CliExit(
        EXIT.failed,
        `✗ Run ${runId} is still running; follow it with GET ${base}/api/v1/runs/${runId}.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, o.pollMs ?? 1000));
  }
}
