/** Users: list with filters, show with manager, reports, groups and audit history, manual edits and creation. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import { personFields, type PersonField } from '../../core/model.js';
import {
  createUser,
  managedFieldsOf,
  updateUser,
  type EngineDeps,
  type UserInput,
} from '../../engine/index.js';
import type { Tenant, UserRecord } from '../../store/types.js';
import type { AuditView, UserDetail, UserRef } from '../contract.js';
import type { RouteDeps } from '../deps.js';
import { adminRead, adminWrite, principalOf } from '../plugins/auth.js';
import { withZod } from '../plugins/zod.js';
import { managedByLookup, titleOf, userView } from '../views.js';
import { booleanQuery, callerTenant, idParams, pagingQuery, responses, unwrap } from './common.js';

const attributeShape = Object.fromEntries(
  personFields.map((f) => [f, z.string().max(500).nullable().optional()]),
) as Record<PersonField, z.ZodOptional<z.ZodNullable<z.ZodString>>>;

const userWriteBody = z
  .object({
    ...attributeShape,
    managerId: z.string().min(1).max(200).nullable().optional(),
    groupIds: z.array(z.string().min(1).max(200)).max(1000).optional(),
    active: z.boolean().optional(),
  })
  .strict();

const usersQuery = pagingQuery.extend({
  search: z.string().max(200).optional(),
  active: booleanQuery.optional(),
  integrationId: z.string().min(1).max(200).optional(),
  department: z.string().min(1).max(500).optional(),
  groupId: z.string().min(1).max(200).optional(),
});

function toInput(body: z.output<typeof userWriteBody>): UserInput {
  const attributes: Partial<Record<PersonField, string | null>> = {};
  for (const f of personFields) if (body[f] !== undefined) attributes[f] = body[f];
  return {
    attributes,
    ...(body.managerId === undefined ? {} : { managerId: body.managerId }),
    ...(body.groupIds === undefined ? {} : { groupIds: body.groupIds }),
    ...(body.active === undefined ? {} : { active: body.active }),
  };
}

const refOf = (u: UserRecord): UserRef => ({
  id: u.id,
  email: u.attributes.email,
  firstName: u.attributes.firstName,
  lastName: u.attributes.lastName,
  active: u.active,
});

async function userDetail(deps: EngineDeps, tenant: Tenant, user: UserRecord): Promise<UserDetail> {
  const managed = await managedFieldsOf(deps, user);
  const manager = user.managerId ? await deps.store.directory.getUser(tenant.id, user.managerId) : undefined;
  const groupsById = new Map((await deps.store.directory.listGroups(tenant.id)).map((g) => [g.id, g.name]));
  const audit = await deps.store.audit.list(tenant.id, { userId: user.id, limit: 100 });
  const runIds = [...new Set(audit.flatMap((a) => (a.runId ? [a.runId] : [])))];
  const runs = new Map<string, AuditView['run']>();
  for (const id of runIds) {
    const run = await deps.store.runs.get(tenant.id, id);
    if (run) runs.set(id, { id: run.id, trigger: run.trigger, status: run.status, startedAt: run.startedAt });
  }
  return {
    ...userView(
      user,
      managed.provider
        ? { provider: managed.provider, title: managed.title ?? titleOf(deps, managed.provider) }
        : null,
    ),
    manager: manager ? refOf(manager) : null,
    reports: await deps.store.orgChart.reportsOf(tenant.id, user.id, 500),
    groups: user.groupIds.map((id) => ({ id, name: groupsById.get(id) ?? id })),
    managedFields: managed.fields,
    history: audit.map((a) => ({
      id: a.id,
      at: a.at,
      actor: a.actor,
      action: a.action,
      changes: a.changes,
      run: a.runId ? (runs.get(a.runId) ?? null) : null,
    })),
  };
}

export default function userRoutes(app: FastifyInstance, opts: RouteDeps): Promise<void> {
  const r = withZod(app);
  const { deps } = opts;
  const notFound = (id: string) =>
    new AppError(
      'not_found',
      `User '${id}' does not exist in this company: check the id or search the users.`,
    );

  r.get(
    '/users',
    {
      schema: {
        tags: ['users'],
        summary:
          'List users: search (email, name, employee number), filter by active, integration, department, group',
        querystring: usersQuery,
        response: responses({ 200: 'A page of users', 422: 'Invalid query' }),
      },
      config: { access: adminRead },
    },
    async (request) => {
      const tenant = await callerTenant(deps, request);
      const q = request.query;
      const { items, total } = await deps.store.directory.listUsers(tenant.id, {
        limit: q.limit,
        offset: q.offset,
        ...(q.search === undefined ? {} : { search: q.search }),
        ...(q.active === undefined ? {} : { active: q.active }),
        ...(q.integrationId === undefined ? {} : { integrationId: q.integrationId }),
        ...(q.department === undefined ? {} : { department: q.department }),
        ...(q.groupId === undefined ? {} : { groupId: q.groupId }),
      });
      const managedBy = await managedByLookup(deps, tenant.id);
      return { items: items.map((u) => userView(u, managedBy(u))), total, limit: q.limit, offset: q.offset };
    },
  );

  r.get(
    '/users/:id',
    {
      schema: {
        tags: ['users'],
        summary:
          'A user with manager, reports, groups, managed fields and audit history (which run changed what)',
        params: idParams,
        response: responses({ 200: 'The user', 404: 'No such user in this company' }),
      },
      config: { access: adminRead },
    },
    async (request) => {
      const tenant = await callerTenant(deps, request);
      const user = await deps.store.directory.getUser(tenant.id, request.params.id);
      if (!user) throw notFound(request.params.id);
      return userDetail(deps, tenant, user);
    },
  );

  r.patch(
    '/users/:id',
    {
      schema: {
        tags: ['users'],
        summary: 'Edit a user; fields managed by the connected HR source answer 409 managed_field',
        params: idParams,
        body: userWriteBody,
        response: responses({
          200: 'The updated user',
          404: 'No such user',
          409: 'A managed field, or the email belongs to another user',
          422: 'Invalid value',
        }),
      },
      config: { access: adminWrite },
    },
    async (request) => {
      const tenant = await callerTenant(deps, request);
      const user = unwrap(
        await updateUser(deps, {
          tenantId: tenant.id,
          userId: request.params.id,
          actor: principalOf(request).actor,
          patch: toInput(request.body),
        }),
      );
      return userDetail(deps, tenant, user);
    },
  );

  r.post(
    '/users',
    {
      schema: {
        tags: ['users'],
        summary:
          'Create a user by hand (refused while an HR source is connected, unless manual users are allowed)',
        body: userWriteBody,
        response: responses({
          201: 'Created',
          409: 'An HR source is connected, or the email is taken',
          422: 'Missing or invalid field',
        }),
      },
      config: { access: adminWrite },
    },
    async (request, reply) => {
      const tenant = await callerTenant(deps, request);
      const user = unwrap(
        await createUser(deps, {
          tenantId: tenant.id,
          actor: principalOf(request).actor,
          input: toInput(request.body),
        }),
      );
      return reply.status(201).send(await userDetail(deps, tenant, user));
    },
  );
  return Promise.resolve();
}
