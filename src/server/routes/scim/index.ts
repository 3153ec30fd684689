/** SCIM 2.0 service provider, read side (RFC 7643/7644) under /scim/v2, key with `directory:read`. */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../../core/errors.js';
import {
  findDirectoryGroups,
  findDirectoryUsers,
  getDirectoryGroup,
  getDirectoryUser,
} from '../../../engine/index.js';
import type { RouteDeps } from '../../deps.js';
import { normalizeError } from '../../errors.js';
import { principalOf } from '../../plugins/auth.js';
import { publicBase, unwrap } from '../common.js';
import { directoryRead } from '../directory.js';
import { keepsAttribute, parseAttributeList, projectResource } from './project.js';
import {
  compileGroupFilter,
  compileUserFilter,
  parsePaging,
  scimBadRequest,
  scimTypes,
  type ScimType,
} from './query.js';
import {
  resourceTypeResources,
  schemaResources,
  SCIM_CONTENT_TYPE,
  SCIM_SCHEMA,
  serviceProviderConfig,
} from './schemas.js';
import { listResponse, scimErrorBody, scimGroup, scimUser, type ScimResource } from './serialize.js';

export const SCIM_PREFIX = '/scim/v2';

/** Query parameters of a list, from the query string or a `.search` body, as strings. */
interface ListInput {
  readonly filter?: string | undefined;
  readonly startIndex?: string | undefined;
  readonly count?: string | undefined;
  readonly attributes?: string | undefined;
  readonly excludedAttributes?: string | undefined;
}

const PARAMS = ['filter', 'startIndex', 'count', 'attributes', 'excludedAttributes'] as const;

/** One value per parameter: a repeated parameter is ambiguous, so it is refused rather than guessed. */
const fromQuery = (query: unknown): ListInput => {
  const q = (query ?? {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const name of PARAMS) {
    const v = q[name];
    if (v === undefined) continue;
    if (typeof v !== 'string') throw scimBadRequest('invalidValue', `Give the parameter ${name} once.`);
    out[name] = v;
  }
  return out;
};

/** A SearchRequest body (RFC 7644 §3.4.3) as the same parameters. */
const fromSearchBody = (body: unknown): ListInput => {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw scimBadRequest(
      'invalidSyntax',
      `Send a SearchRequest JSON object ({"schemas": ["${SCIM_SCHEMA.searchRequest}"], ...}).`,
    );
  }
  const b = body as Record<string, unknown>;
  if (
    b.schemas !== undefined &&
    !(Array.isArray(b.schemas) && b.schemas.includes(SCIM_SCHEMA.searchRequest))
  ) {
    throw scimBadRequest(
      'invalidValue',
      `A SearchRequest's schemas must contain "${SCIM_SCHEMA.searchRequest}".`,
    );
  }
  const text = (name: string, v: unknown): string | undefined => {
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' && (name === 'startIndex' || name === 'count')) return String(v);
    if (
      Array.isArray(v) &&
      (name === 'attributes' || name === 'excludedAttributes') &&
      v.every((s) => typeof s === 'string')
    ) {
      return v.join(',');
    }
    throw scimBadRequest('invalidValue', `The SearchRequest attribute ${name} has the wrong type.`);
  };
  return Object.fromEntries(PARAMS.map((p) => [p, text(p, b[p])]));
};

/** Discovery endpoints refuse filters (RFC 7644 §4): a client must not believe a filter was applied. */
const refuseFilter = (request: FastifyRequest): void => {
  if ((request.query as Record<string, unknown> | undefined)?.filter !== undefined) {
    throw new AppError(
      'forbidden',
      'Filtering is not supported on discovery endpoints: drop the filter parameter.',
    );
  }
};

const scimTypeOf = (error: AppError): ScimType | undefined => {
  const t = error.details?.scimType;
  return typeof t === 'string' && (scimTypes as readonly string[]).includes(t) ? (t as ScimType) : undefined;
};

/** Every failure under /scim/v2 in SCIM's error format; 422s of the rest of the API are 400s here. */
function scimErrorHandler(error: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply) {
  const { appError, status: httpStatus } = normalizeError(error);
  const invalid = appError.code === 'invalid_input' || appError.code === 'invalid_config';
  const status = invalid && httpStatus !== 415 ? 400 : httpStatus;
  if (status >= 500) request.log.error({ err: error, code: appError.code }, 'scim request failed');
  else request.log.info({ code: appError.code, status }, appError.message);
  if (status === 401) void reply.header('www-authenticate', 'Bearer realm="rostersync"');
  const retryAfter = appError.details?.retryAfterSeconds;
  if (status === 429 && typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter));
  const scimType = scimTypeOf(appError) ?? (status === 400 ? 'invalidSyntax' : undefined);
  return reply
    .status(status)
    .type(SCIM_CONTENT_TYPE)
    .send(
      scimErrorBody({ status, detail: appError.message, ...(scimType === undefined ? {} : { scimType }) }),
    );
}

const send = (reply: FastifyReply, body: ScimResource, status = 200) =>
  reply.status(status).type(SCIM_CONTENT_TYPE).send(body);

const listOf = (resources: readonly ScimResource[]): ScimResource =>
  listResponse({ resources, totalResults: resources.length, startIndex: 1 });

const notFound = (kind: string, id: string): AppError =>
  new AppError('not_found', `${kind} "${id.slice(0, 200)}" not found: check the id (ids are per company).`);

const readOnly =
  'The directory is managed by the HR sync (rostersync): users and groups change in the HR system, not through SCIM. ' +
  'This service provider is read-only.';

export default async function scimRoutes(app: FastifyInstance, opts: RouteDeps): Promise<void> {
  await app.register(
    (scim, _options, done) => {
      const { deps } = opts;
      const config = { access: directoryRead };
      const tags = ['scim'];
      const base = (request: FastifyRequest) => `${publicBase(opts.env.PUBLIC_URL, request)}${SCIM_PREFIX}`;
      const projection = (input: ListInput, coreSchema: string) => {
        const schema = { coreSchema, extensions: [SCIM_SCHEMA.enterpriseUser, SCIM_SCHEMA.rostersyncUser] };
        return {
          attributes: parseAttributeList(input.attributes, schema),
          excludedAttributes: parseAttributeList(input.excludedAttributes, schema),
        };
      };

      scim.setErrorHandler(scimErrorHandler);
      // Without this, the admin UI's `GET /*` fallback (static-ui.ts) would answer unknown SCIM paths with
      // the API's JSON 404; here they reach the SCIM not-found handler below.
      scim.get('/*', { schema: { hide: true } }, (_request, reply) => reply.callNotFound());
      scim.setNotFoundHandler((request, reply) =>
        send(
          reply,
          scimErrorBody({
            status: 404,
            detail: `No SCIM endpoint ${request.method} ${(request.url.split('?')[0] ?? '').slice(0, 200)}.`,
          }),
          404,
        ),
      );
      // SCIM clients send application/scim+json; it is JSON (RFC 7644 §3.1).
      scim.addContentTypeParser(
        'application/scim+json',
        { parseAs: 'string' },
        scim.getDefaultJsonParser('error', 'error'),
      );

      scim.get(
        '/ServiceProviderConfig',
        { schema: { tags, summary: 'SCIM service provider configuration' }, config },
        async (request, reply) => {
          refuseFilter(request);
          return send(reply, serviceProviderConfig({ base: base(request) }));
        },
      );

      scim.get(
        '/Schemas',
        { schema: { tags, summary: 'SCIM schemas served' }, config },
        async (request, reply) => {
          refuseFilter(request);
          return send(reply, listOf(schemaResources(base(request))));
        },
      );
      scim.get<{ Params: { id: string } }>(
        '/Schemas/:id',
        { schema: { tags, summary: 'One SCIM schema' }, config },
        async (request, reply) => {
          const found = schemaResources(base(request)).find((s) => s.id === request.params.id);
          if (!found) throw notFound('Schema', request.params.id);
          return send(reply, found);
        },
      );

      scim.get(
        '/ResourceTypes',
        { schema: { tags, summary: 'SCIM resource types' }, config },
        async (request, reply) => {
          refuseFilter(request);
          return send(reply, listOf(resourceTypeResources(base(request))));
        },
      );
      scim.get<{ Params: { id: string } }>(
        '/ResourceTypes/:id',
        { schema: { tags, summary: 'One SCIM resource type' }, config },
        async (request, reply) => {
          const found = resourceTypeResources(base(request)).find((s) => s.id === request.params.id);
          if (!found) throw notFound('ResourceType', request.params.id);
          return send(reply, found);
        },
      );

      const listUsers = async (request: FastifyRequest, reply: FastifyReply, input: ListInput) => {
        const { none, ...filter } = unwrap(compileUserFilter(input.filter));
        const paging = unwrap(parsePaging(input));
        const tenantId = principalOf(request).tenantId;
        const page = none
          ? { items: [], total: 0 }
          : await findDirectoryUsers(deps, { tenantId, ...filter, ...paging });
        const p = projection(input, SCIM_SCHEMA.user);
        const resources = page.items.map((v) => projectResource(scimUser(v, { base: base(request) }), p));
        return send(
          reply,
          listResponse({ resources, totalResults: page.total, startIndex: paging.startIndex }),
        );
      };

      const listGroups = async (request: FastifyRequest, reply: FastifyReply, input: ListInput) => {
        const { none, ...filter } = unwrap(compileGroupFilter(input.filter));
        const paging = unwrap(parsePaging(input));
        const tenantId = principalOf(request).tenantId;
        const p = projection(input, SCIM_SCHEMA.group);
        // Members are most of a group's cost (thousands each): not read when the client drops them.
        const members = keepsAttribute(p, 'members');
        const page = none
          ? { items: [], total: 0 }
          : await findDirectoryGroups(deps, { tenantId, ...filter, ...paging, members });
        const resources = page.items.map((v) => projectResource(scimGroup(v, { base: base(request) }), p));
        return send(
          reply,
          listResponse({ resources, totalResults: page.total, startIndex: paging.startIndex }),
        );
      };

      /** Sends one resource with its ETag; 304 when the client's If-None-Match already names it. */
      const sendOne = (
        request: FastifyRequest,
        reply: FastifyReply,
        resource: ScimResource,
        input: ListInput,
        coreSchema: string,
      ) => {
        const version = (resource.meta as { version?: string } | undefined)?.version;
        if (version !== undefined) {
          void reply.header('etag', version);
          const match = request.headers['if-none-match'];
          // If-None-Match compares weakly (RFC 9110 §13.1.2): W/"x" and "x" name the same version.
          const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
          if (
            typeof match === 'string' &&
            match.split(',').some((t) => t.trim() === '*' || opaque(t) === opaque(version))
          ) {
            return reply.status(304).send();
          }
        }
        return send(reply, projectResource(resource, projection(input, coreSchema)));
      };

      scim.get(
        '/Users',
        { schema: { tags, summary: 'SCIM Users (filter, startIndex, count)' }, config },
        (request, reply) => listUsers(request, reply, fromQuery(request.query)),
      );
      scim.post(
        '/Users/.search',
        { schema: { tags, summary: 'SCIM Users query by POST (SearchRequest)' }, config },
        (request, reply) => listUsers(request, reply, fromSearchBody(request.body)),
      );
      scim.get<{ Params: { id: string } }>(
        '/Users/:id',
        { schema: { tags, summary: 'One SCIM User' }, config },
        async (request, reply) => {
          const view = await getDirectoryUser(deps, {
            tenantId: principalOf(request).tenantId,
            id: request.params.id,
          });
          if (!view) throw notFound('User', request.params.id);
          return sendOne(
            request,
            reply,
            scimUser(view, { base: base(request) }),
            fromQuery(request.query),
            SCIM_SCHEMA.user,
          );
        },
      );

      scim.get(
        '/Groups',
        { schema: { tags, summary: 'SCIM Groups (filter, startIndex, count)' }, config },
        (request, reply) => listGroups(request, reply, fromQuery(request.query)),
      );
      scim.post(
        '/Groups/.search',
        { schema: { tags, summary: 'SCIM Groups query by POST (SearchRequest)' }, config },
        (request, reply) => listGroups(request, reply, fromSearchBody(request.body)),
      );
      scim.get<{ Params: { id: string } }>(
        '/Groups/:id',
        { schema: { tags, summary: 'One SCIM Group' }, config },
        async (request, reply) => {
          const view = await getDirectoryGroup(deps, {
            tenantId: principalOf(request).tenantId,
            id: request.params.id,
          });
          if (!view) throw notFound('Group', request.params.id);
          return sendOne(
            request,
            reply,
            scimGroup(view, { base: base(request) }),
            fromQuery(request.query),
            SCIM_SCHEMA.group,
          );
        },
      );

      // Writes: authenticated like reads (401/403 first), then refused. 501 = "operation not supported" (RFC 7644 §3.12).
      const refuse = (_request: FastifyRequest, reply: FastifyReply) =>
        send(reply, scimErrorBody({ status: 501, detail: readOnly }), 501);
      const writes = {
        schema: { tags, summary: 'Not supported: the directory is read-only over SCIM (501)' },
        config,
      };
      for (const resource of ['Users', 'Groups']) {
        scim.post(`/${resource}`, writes, refuse);
        scim.route({
          method: ['PUT', 'PATCH', 'DELETE'],
          url: `/${resource}/:id`,
          ...writes,
          handler: refuse,
        });
      }
      scim.post('/Bulk', writes, refuse);
      done();
    },
    { prefix: SCIM_PREFIX },
  );
}
