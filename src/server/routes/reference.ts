/** Groups (with member counts and duplicate-name warnings), departments, positions, locations, gender choices. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { referenceKinds } from '../../core/model.js';
import type { GroupView } from '../contract.js';
import type { RouteDeps } from '../deps.js';
import { adminRead, adminWrite } from '../plugins/auth.js';
import { withZod } from '../plugins/zod.js';
import { callerTenant, responses } from './common.js';

export default function referenceRoutes(app: FastifyInstance, opts: RouteDeps): Promise<void> {
  const r = withZod(app);
  const { deps } = opts;

  r.get(
    '/groups',
    {
      schema: {
        tags: ['directory'],
        summary: 'Groups, oldest first, with member counts; duplicateName flags names used more than once',
        response: responses({ 200: 'Groups' }),
      },
      config: { access: adminRead },
    },
    async (request) => {
      const tenant = await callerTenant(deps, request);
      const groups = await deps.store.directory.listGroups(tenant.id);
      const counts = new Map<string, number>();
      for (const g of groups) {
        const key = g.name.trim().toLowerCase();
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      const items: GroupView[] = groups.map((g) => ({
        id: g.id,
        name: g.name,
        memberCount: g.memberCount,
        duplicateName: (counts.get(g.name.trim().toLowerCase()) ?? 0) > 1,
        createdAt: g.createdAt,
        updatedAt: g.updatedAt,
      }));
      return { items };
    },
  );

  for (const kind of referenceKinds) {
    r.get(
      `/${kind}`,
      {
        schema: {
          tags: ['directory'],
          summary: `The ${kind} list (created on demand by syncs, never deleted by them)`,
          response: responses({ 200: `Names of ${kind}` }),
        },
        config: { access: adminRead },
      },
      async (request) => {
        const tenant = await callerTenant(deps, request);
        return { items: await deps.store.directory.listReferences(tenant.id, kind) };
      },
    );
  }

  r.get(
    '/gender-choices',
    {
      schema: {
        tags: ['directory'],
        summary: 'Gender choices of the company (female, male by default)',
        response: responses({ 200: 'The choices' }),
      },
      config: { access: adminRead },
    },
    async (request) => {
      const tenant = await callerTenant(deps, request);
      return { items: await deps.store.directory.listGenderChoices(tenant.id) };
    },
  );

  r.post(
    '/gender-choices',
    {
      schema: {
        tags: ['directory'],
        summary: 'Add a gender choice (e.g. diverse); adding an existing one changes nothing',
        body: z.object({ value: z.string().trim().min(1).max(50) }),
        response: responses({ 201: 'The choices after adding', 422: 'Empty or too long' }),
      },
      config: { access: adminWrite },
    },
    async (request, reply) => {
      const tenant = await callerTenant(deps, request);
      await deps.store.directory.addGenderChoice(tenant.id, request.body.value);
      return reply.status(201).send({ items: await deps.store.directory.listGenderChoices(tenant.id) });
    },
  );
  return Promise.resolve();
}
