/** The upload API (HR Data Sync): employee and position files as CSV, XML or multipart, with a Bearer key. */
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import { uploadEmployees, uploadPositions } from '../../engine/index.js';
import type { RunRecord } from '../../store/types.js';
import type { RouteDeps } from '../deps.js';
import type { Access } from '../plugins/auth.js';
import { withZod } from '../plugins/zod.js';
import { runDetail } from '../views.js';
import { booleanQuery, callerTenant, responses, unwrap } from './common.js';

// A key with hr-data:write (scripts, the console app) or a signed-in admin (the UI's drag-and-drop, CSRF-checked).
const uploadAccess: Access = { session: 'write', scopes: ['hr-data:write'] };
const fileTypes = [
  'text/csv',
  'application/xml',
  'text/xml',
  'text/plain',
  'application/octet-stream',
] as const;

const uploadQuery = z.object({
  dryRun: booleanQuery.default(false),
  /** Items returned with a dry run. */
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
});

/** The body as documented in OpenAPI (not validated: it is a file). */
const fileBody = {
  type: 'string',
  format: 'binary',
  description: 'The file (or multipart/form-data with a `file` field)',
};

type Format = 'csv' | 'xml';

const formatOf = (contentType: string | undefined, filename?: string): Format | undefined => {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'text/csv') return 'csv';
  if (type === 'application/xml' || type === 'text/xml') return 'xml';
  const ext = filename?.toLowerCase().split('.').pop();
  return ext === 'csv' || ext === 'xml' ? ext : undefined;
};

/** The uploaded bytes and their format, from a raw body or the multipart field `file`. */
async function readUpload(
  request: FastifyRequest,
  maxBytes: number,
): Promise<{ content: Buffer; format?: Format }> {
  if (request.isMultipart()) {
    const file = await request.file({ limits: { fileSize: maxBytes, files: 1, fields: 10 } });
    if (!file || file.fieldname !== 'file') {
      throw new AppError(
        'invalid_input',
        'The multipart upload has no `file` field: send the file as `file=@roster.csv`.',
        {
          details: { field: 'file' },
        },
      );
    }
    const content = await file.toBuffer();
    const format = formatOf(file.mimetype, file.filename);
    return { content, ...(format ? { format } : {}) };
  }
  if (!Buffer.isBuffer(request.body) || request.body.length === 0) {
    throw new AppError(
      'invalid_input',
      'The request has no file: send it as the body (text/csv or application/xml).',
      {
        details: { field: 'body' },
      },
    );
  }
  const format = formatOf(request.headers['content-type']);
  return { content: request.body, ...(format ? { format } : {}) };
}

export default async function uploadRoutes(app: FastifyInstance, opts: RouteDeps): Promise<void> {
  const { deps, env, limits, background } = opts;
  const maxBytes = env.ROSTERSYNC_MAX_UPLOAD_BYTES;
  // Only files here: JSON and form bodies are refused with 415 before anything is read.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser([...fileTypes], { parseAs: 'buffer', bodyLimit: maxBytes }, (_req, body, done) => {
    done(null, body);
  });
  await app.register(multipart, { limits: { fileSize: maxBytes, files: 1 }, throwFileSizeLimit: true });
  const r = withZod(app);
  const rateLimit = {
    max: limits.uploadMax,
    timeWindow: limits.uploadWindowMs,
    keyGenerator: (req: FastifyRequest) =>
      req.principal?.kind === 'apiKey' ? `upload:${req.principal.key.id}` : `upload:${req.ip}`,
  };
  const common = {
    bodyLimit: maxBytes,
    config: { access: uploadAccess, rateLimit },
  } as const;

  r.post(
    '/hr-data/employees',
    {
      ...common,
      schema: {
        tags: ['upload'],
        summary:
          'Upload the employee file (the full roster, CSV or XML). 202 {runId} at once, the sync continues; ?dryRun=true answers 200 with the plan',
        querystring: uploadQuery,
        consumes: ['text/csv', 'application/xml', 'text/xml', 'multipart/form-data'],
        body: fileBody,
        response: responses({
          200: 'Dry run: the planned changes',
          202: 'Accepted: follow GET /api/v1/runs/{runId}',
          401: 'No or bad API key',
          403: 'The key lacks hr-data:write',
          409: 'Another HR source is connected, or a sync is running',
          413: 'Over ROSTERSYNC_MAX_UPLOAD_BYTES',
          415: 'Not a file content type',
          422: 'Malformed file (line or element named)',
          429: 'Too many uploads',
        }),
      },
    },
    async (request, reply) => {
      const tenant = await callerTenant(deps, request);
      const { content, format } = await readUpload(request, maxBytes);
      const base = {
        tenantId: tenant.id,
        content,
        maxBytes,
        trigger: 'upload' as const,
        ...(format ? { format } : {}),
      };
      if (request.query.dryRun) {
        const run = unwrap(await uploadEmployees(deps, { ...base, dryRun: true }));
        return reply
          .status(200)
          .send({ run: await runDetail(deps, run, { limit: request.query.limit, offset: 0 }) });
      }
      let created: (run: RunRecord) => void = () => undefined;
      const runCreated = new Promise<RunRecord>((resolve) => {
        created = resolve;
      });
      const work = uploadEmployees(deps, { ...base, onRunCreated: (run) => created(run) });
      background.track(
        work.then(
          (result) => {
            if (!result.ok) request.log.info({ code: result.error.code }, 'upload refused');
          },
          (error: unknown) => request.log.error({ err: error }, 'upload failed'),
        ),
      );
      // 202 as soon as the run row exists; a file refused before that (malformed, conflict) is answered now.
      const first = await Promise.race([
        runCreated.then((run) => ({ run })),
        work.then((result) => ({ result })),
      ]);
      if ('result' in first && !first.result.ok) throw first.result.error;
      const runId = 'run' in first ? first.run.id : first.result.ok ? first.result.value.id : '';
      return reply.status(202).header('location', `/api/v1/runs/${runId}`).send({ runId });
    },
  );

  r.post(
    '/hr-data/positions',
    {
      ...common,
      schema: {
        tags: ['upload'],
        summary: 'Upload the position file (XML): positions and their departments are added, never deleted',
        querystring: uploadQuery,
        consumes: ['application/xml', 'text/xml', 'multipart/form-data'],
        body: fileBody,
        response: responses({
          200: 'Positions read and created',
          401: 'No or bad API key',
          403: 'The key lacks hr-data:write',
          413: 'Too large',
          415: 'Not a file content type',
          422: 'Malformed file',
          429: 'Too many uploads',
        }),
      },
    },
    async (request) => {
      const tenant = await callerTenant(deps, request);
      const { content } = await readUpload(request, maxBytes);
      const result = unwrap(
        await uploadPositions(deps, { tenantId: tenant.id, content, maxBytes, dryRun: request.query.dryRun }),
      );
      return { ...result, dryRun: request.query.dryRun };
    },
  );
}
