/** A scriptable in-memory HR source for engine tests: a roster, pages, and a failing page on demand. */
import { z } from 'zod';
import { AppError } from '../../src/core/errors.js';
import type { ManagedField, SourcePerson } from '../../src/core/model.js';
import { ok } from '../../src/core/result.js';
import { defineSource, type Source } from '../../src/sources/contract.js';

export interface FakePerson {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  active?: boolean;
  department?: string | null;
  jobTitle?: string | null;
  manager?: string | null;
  groups?: string[];
  leavingDate?: string | null;
}

export interface FakeSourceControl {
  people: FakePerson[];
  pageSize: number;
  /** 1-based page that throws a transient error; null = none. */
  failPage: number | null;
  reads: number;
}

const fields: ManagedField[] = [
  'email',
  'firstName',
  'lastName',
  'department',
  'jobTitle',
  'leavingDate',
  'manager',
  'groups',
  'active',
];

export function fakeSource(control: FakeSourceControl): Source {
  return defineSource<{ token: string }, FakePerson>({
    spec: {
      id: 'personio',
      title: 'FakeHR',
      configSchema: z.object({ token: z.string().min(1) }),
      secretFields: ['token'],
      configFields: [{ key: 'token', label: 'Token', secret: true }],
      managedFields: fields,
      webhooks: true,
      setupSteps: [],
    },
    check: (config) =>
      Promise.resolve(
        config.token === 'good'
          ? ok({ summary: 'FakeHR ok', sample: control.people.length })
          : {
              ok: false as const,
              error: new AppError('source_auth', 'FakeHR refused the token.', { kind: 'auth' }),
            },
      ),
    async *read() {
      control.reads += 1;
      const pages = Math.max(1, Math.ceil(control.people.length / control.pageSize));
      for (let page = 1; page <= pages; page += 1) {
        if (control.failPage === page) {
          throw new AppError('source_unavailable', `FakeHR page ${page} failed after retries (503).`, {
            kind: 'transient',
          });
        }
        await Promise.resolve();
        yield control.people.slice((page - 1) * control.pageSize, page * control.pageSize);
      }
    },
    async *readByIds(_config, ids) {
      await Promise.resolve();
      yield control.people.filter((p) => ids.includes(p.id));
    },
    map: (p): SourcePerson => ({
      sourceId: p.id,
      ref: `employee ${p.id}`,
      active: p.active ?? true,
      attributes: {
        email: p.email,
        firstName: p.firstName,
        lastName: p.lastName,
        department: p.department ?? null,
        jobTitle: p.jobTitle ?? null,
        leavingDate: p.leavingDate ?? null,
      },
      managerSourceId: p.manager ?? null,
      groups: p.groups ?? [],
    }),
    parseWebhook: (body) => {
      const id = (body as { employeeId?: unknown } | null)?.employeeId;
      return typeof id === 'string' ? { kind: 'ids', ids: [id] } : { kind: 'full' };
    },
  }) as unknown as Source;
}

export function people(n: number, prefix = 'p'): FakePerson[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}${i + 1}`,
    email: `${prefix}${i + 1}@acme.example`,
    firstName: `First${i + 1}`,
    lastName: `Last${i + 1}`,
    department: i % 2 === 0 ? 'Sales' : 'Engineering',
    jobTitle: 'Clerk',
    manager: i === 0 ? null : `${prefix}1`,
    groups: [i % 3 === 0 ? 'Team A' : 'Team B'],
  }));
}
