/** `users list` and `groups list`: the directory as a table or JSON. */
import type { Command } from 'commander';
import type { EngineDeps } from '../../engine/index.js';
import type { UserRecord } from '../../store/types.js';
import { print, requireTenant, withEngine } from '../context.js';
import { renderTable } from '../table.js';

export interface UserJson {
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  active: boolean;
  sourceId: string | null;
  employeeNumber: string | null;
  birthDate: string | null;
  gender: string | null;
  jobTitle: string | null;
  department: string | null;
  location: string | null;
  manager: string | null;
  groups: string[];
  firstHiredOn: string | null;
  currentHiredOn: string | null;
  leavingDate: string | null;
  phoneNumber: string | null;
  contractType: string | null;
}

async function allUsers(deps: EngineDeps, tenantId: string): Promise<UserRecord[]> {
  const out: UserRecord[] = [];
  for (let offset = 0; ; offset += 1000) {
    const { items } = await deps.store.directory.listUsers(tenantId, { limit: 1000, offset });
    out.push(...items);
    if (items.length < 1000) return out;
  }
}

export async function usersAsJson(deps: EngineDeps, tenantId: string): Promise<UserJson[]> {
  const users = await allUsers(deps, tenantId);
  const groups = new Map((await deps.store.directory.listGroups(tenantId)).map((g) => [g.id, g.name]));
  const emails = new Map(users.map((u) => [u.id, u.attributes.email]));
  return users
    .map((u) => {
      const a = u.attributes;
      return {
        email: a.email,
        firstName: a.firstName,
        lastName: a.lastName,
        active: u.active,
        sourceId: u.sourceId,
        employeeNumber: a.employeeNumber,
        birthDate: a.birthDate,
        gender: a.gender,
        jobTitle: a.jobTitle,
        department: a.department,
        location: a.location,
        manager: u.managerId === null ? null : (emails.get(u.managerId) ?? null),
        groups: u.groupIds.map((id) => groups.get(id) ?? id).sort(),
        firstHiredOn: a.firstHiredOn,
        currentHiredOn: a.currentHiredOn,
        leavingDate: a.leavingDate,
        phoneNumber: a.phoneNumber,
        contractType: a.contractType,
      };
    })
    .sort((x, y) => (x.email ?? '').localeCompare(y.email ?? ''));
}

export function registerDirectory(program: Command): void {
  const users = program.command('users').description('the directory users of a tenant');
  users
    .command('list')
    .description('list users')
    .requiredOption('--tenant <slug>', 'tenant slug')
    .option('--json', 'JSON output for scripts')
    .action(async (o: { tenant: string; json?: boolean }) => {
      await withEngine(async (deps) => {
        const tenant = await requireTenant(deps, o.tenant);
        const rows = await usersAsJson(deps, tenant.id);
        print(rows, o.json ?? false, () =>
          console.log(
            renderTable(rows as unknown as Record<string, unknown>[], [
              'email',
              'firstName',
              'lastName',
              'active',
              'jobTitle',
              'department',
              'manager',
              'groups',
            ]),
          ),
        );
      });
    });

  const groups = program.command('groups').description('the groups of a tenant');
  groups
    .command('list')
    .description('list groups with their member counts')
    .requiredOption('--tenant <slug>', 'tenant slug')
    .option('--json', 'JSON output for scripts')
    .action(async (o: { tenant: string; json?: boolean }) => {
      await withEngine(async (deps) => {
        const tenant = await requireTenant(deps, o.tenant);
        const rows = (await deps.store.directory.listGroups(tenant.id))
          .map((g) => ({ id: g.id, name: g.name, members: g.memberCount }))
          .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
        print(rows, o.json ?? false, () => console.log(renderTable(rows, ['name', 'members'])));
      });
    });
}
