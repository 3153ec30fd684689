/** Worker thread body: parses one employee file and posts the Result back (AppError as plain fields). */
import { parentPort, workerData } from 'node:worker_threads';
import { parseEmployeeFile, type FileFormat } from '../sources/file/index.js';

interface Job {
  readonly input: Uint8Array;
  readonly format?: FileFormat;
  readonly maxBytes?: number;
}

const job = workerData as Job;
const result = parseEmployeeFile(job.input, {
  ...(job.format ? { format: job.format } : {}),
  ...(job.maxBytes === undefined ? {} : { maxBytes: job.maxBytes }),
});
parentPort?.postMessage(
  result.ok
    ? result
    : {
        ok: false,
        error: {
          code: result.error.code,
          message: result.error.message,
          details: result.error.details ?? {},
        },
      },
);
