/**
 * Reads an uploaded employee file without stalling the server: small files inline, big ones in a
 * worker thread with a heap cap and a deadline (a 50 MB XML takes tens of seconds of pure CPU).
 */
import { Worker } from 'node:worker_threads';
import { AppError, errorCodes, type ErrorCode } from '../core/errors.js';
import { err, type Result } from '../core/result.js';
import {
  parseEmployeeFile,
  FILE_MAX_BYTES_DEFAULT,
  type EmployeeFile,
  type FileFormat,
} from '../sources/file/index.js';

/** Files up to this size parse inline: a few hundred milliseconds at most, and no worker start-up. */
export const INLINE_PARSE_BYTES = 512 * 1024;
const DEFAULT_TIMEOUT_MS = 5 * 60_000;
const DEFAULT_MAX_MEMORY_MB = 2048;

export interface ParseUploadOptions {
  readonly format?: FileFormat;
  readonly maxBytes?: number;
  /** A parse still running after this is stopped and the file refused (default 5 minutes). */
  readonly timeoutMs?: number;
  /** Heap of the worker (default 2 GiB); a file needing more is refused, the server unharmed. */
  readonly maxMemoryMb?: number;
  /** Force the worker for any size (tests), or never use it. */
  readonly worker?: 'auto' | 'always' | 'never';
}

type Posted =
  | { ok: true; value: EmployeeFile }
  | { ok: false; error: { code: string; message: string; details: Record<string, unknown> } };

const byteLength = (input: Uint8Array | string): number =>
  typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength;

const asCode = (code: string): ErrorCode =>
  (errorCodes as readonly string[]).includes(code) ? (code as ErrorCode) : 'internal';

/**
 * `parseEmployeeFile` off the event loop for files over {@link INLINE_PARSE_BYTES}. Files over
 * `maxBytes` are refused before any parsing, inline.
 *
 * @example
 * const parsed = await parseEmployeeUpload(bytes, { format: 'xml', maxBytes: env.ROSTERSYNC_MAX_UPLOAD_BYTES });
 */
export async function parseEmployeeUpload(
  input: Uint8Array | string,
  o: ParseUploadOptions = {},
): Promise<Result<EmployeeFile, AppError>> {
  const opts = {
    ...(o.format ? { format: o.format } : {}),
    ...(o.maxBytes === undefined ? {} : { maxBytes: o.maxBytes }),
  };
  const bytes = byteLength(input);
  const mode = o.worker ?? 'auto';
  if (
    mode === 'never' ||
    bytes > (o.maxBytes ?? FILE_MAX_BYTES_DEFAULT) ||
    (mode === 'auto' && bytes <= INLINE_PARSE_BYTES)
  ) {
    return parseEmployeeFile(input, opts);
  }
  const data = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const worker = new Worker(new URL('./parse-worker.mjs', import.meta.url), {
    workerData: { input: data, ...opts },
    resourceLimits: { maxOldGenerationSizeMb: o.maxMemoryMb ?? DEFAULT_MAX_MEMORY_MB },
  });
  return new Promise<Result<EmployeeFile, AppError>>((resolve) => {
    let settled = false;
    const settle = (r: Result<EmployeeFile, AppError>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(r);
    };
    const timer = setTimeout(() => {
      settle(
        err(
          new AppError(
            'invalid_input',
            `The file could not be read within ${Math.round(timeoutMs / 1000)} s and was refused; nothing was changed. Check that it is an employee file; split nothing (a file is the whole roster), but drop unused columns.`,
          ),
        ),
      );
    }, timeoutMs);
    worker.once('message', (posted: Posted) => {
      if (posted.ok) settle(posted);
      else
        settle(
          err(
            new AppError(asCode(posted.error.code), posted.error.message, { details: posted.error.details }),
          ),
        );
    });
    worker.once('error', (error: Error & { code?: string }) => {
      const tooBig = error.code === 'ERR_WORKER_OUT_OF_MEMORY';
      settle(
        err(
          new AppError(
            tooBig ? 'payload_too_large' : 'internal',
            tooBig
              ? 'The file needs more memory to read than rostersync allows and was refused; nothing was changed. Drop unused columns or ask your operator to raise the limit.'
              : 'Reading the file failed because of an internal error; nothing was changed.',
            { cause: error },
          ),
        ),
      );
    });
    worker.once('exit', (code) => {
      if (!settled)
        settle(
          err(
            new AppError(
              'internal',
              `Reading the file stopped unexpectedly (worker exit ${code}); nothing was changed.`,
            ),
          ),
        );
    });
  });
}
