/** The `rostersync` command end to end: spawned processes on a temporary SQLite database. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'rostersync-cli-'));
const env = {
  ...process.env,
  DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`,
  ROSTERSYNC_DATA_DIR: dir,
  ROSTERSYNC_SECRET_KEYS: '',
};
delete (env as Record<string, string | undefined>).ROSTERSYNC_SECRET_KEYS;

function cli(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/rostersync.js', ...args], {
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const json = <T>(out: string): T => JSON.parse(out) as T;

const header =
  'employee_id,email,first_name,last_name,job_title,department,manager_employee_id,groups,status';
const rows = [
  '1,Ada@Acme.example,Ada,Lovelace,CEO,Board,,Leadership,active',
  '2,alan@acme.example,Alan,Turing,Engineer,Engineering,1,Engineering|Chess,active',
  '3,grace@acme.example,Grace,Hopper,Engineer,Engineering,1,Engineering,active',
  '4,bad-email,Bad,Row,Clerk,Sales,1,,active',
];
const file = (name: string, lines: string[]) => {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
};

afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface RunJson {
  id: string;
  status: string;
  counts: Record<string, number>;
  errors: { record: string; field: string | null; code: string | null; message: string | null }[];
}

describe('rostersync CLI', () => {
  it('migrates and creates a tenant', () => {
    expect(cli('migrate').code).toBe(0);
    const created = cli(
      'tenant',
      'create',
      'acme',
      '--name',
      'Acme Inc',
      '--timezone',
      'Europe/Berlin',
      '--json',
    );
    expect(created.code).toBe(0);
    expect(json<{ slug: string; timezone: string }>(created.stdout)).toMatchObject({
      slug: 'acme',
      timezone: 'Europe/Berlin',
    });
    expect(cli('tenant', 'create', 'acme', '--name', 'Again').code).not.toBe(0);
  });

  it('uploads a CSV: good rows applied, the bad row reported with record and field (exit 4)', () => {
    const r = cli('upload', file('roster.csv', [header, ...rows]), '--tenant', 'acme', '--json');
    expect(r.code).toBe(4);
    const run = json<RunJson>(r.stdout);
    expect(run.status).toBe('partial');
    expect(run.counts).toMatchObject({ created: 3, errors: 1 });
    expect(run.errors[0]).toMatchObject({ field: 'email', code: 'invalid_email' });
    expect(run.errors[0]?.record).toContain('line 5');
  });

  it('lists users with the documented JSON fields', () => {
    const r = cli('users', 'list', '--tenant', 'acme', '--json');
    expect(r.code).toBe(0);
    const users = json<Record<string, unknown>[]>(r.stdout);
    expect(users).toHaveLength(3);
    const alan = users.find((u) => u.email === 'alan@acme.example');
    expect(alan).toMatchObject({
      firstName: 'Alan',
      lastName: 'Turing',
      active: true,
      sourceId: '2',
      jobTitle: 'Engineer',
      department: 'Engineering',
      manager: 'Ada@Acme.example',
      groups: ['Chess', 'Engineering'],
    });
    expect(Object.keys(alan ?? {}).sort()).toEqual(
      [
        'email',
        'firstName',
        'lastName',
        'active',
        'sourceId',
        'employeeNumber',
        'birthDate',
        'gender',
        'jobTitle',
        'department',
        'location',
        'manager',
        'groups',
        'firstHiredOn',
        'currentHiredOn',
        'leavingDate',
        'phoneNumber',
        'contractType',
      ].sort(),
    );
    const groups = json<{ name: string; members: number }[]>(
      cli('groups', 'list', '--tenant', 'acme', '--json').stdout,
    );
    expect(groups.map((g) => [g.name, g.members])).toEqual([
      ['Chess', 1],
      ['Engineering', 2],
      ['Leadership', 1],
    ]);
  });

  it('uploading the same file again changes nothing', () => {
    const r = cli('upload', join(dir, 'roster.csv'), '--tenant', 'acme', '--json');
    const run = json<RunJson>(r.stdout);
    expect(run.counts).toMatchObject({ created: 0, updated: 0, deactivated: 0, unchanged: 3 });
  });

  it('a dry run shows the plan and changes nothing', () => {
    const r = cli(
      'upload',
      file('moved.csv', [header, rows[0]!, rows[1]!.replace('Engineer,', 'Architect,')]),
      '--tenant',
      'acme',
      '--dry-run',
      '--json',
    );
    expect(r.code).toBe(0);
    const run = json<RunJson>(r.stdout);
    expect(run.status).toBe('dry_run');
    expect(run.counts).toMatchObject({ updated: 1, deactivated: 1 });
    const users = json<{ email: string; jobTitle: string; active: boolean }[]>(
      cli('users', 'list', '--tenant', 'acme', '--json').stdout,
    );
    expect(users.every((u) => u.active)).toBe(true);
    expect(users.find((u) => u.email === 'alan@acme.example')?.jobTitle).toBe('Engineer');
  });

  it('an empty file is blocked (exit 3), nothing deactivated, and runs confirm applies it', () => {
    const r = cli('upload', file('empty.csv', [header]), '--tenant', 'acme', '--json');
    expect(r.code).toBe(3);
    const run = json<RunJson>(r.stdout);
    expect(run.status).toBe('blocked');
    expect(
      json<{ active: boolean }[]>(cli('users', 'list', '--tenant', 'acme', '--json').stdout).every(
        (u) => u.active,
      ),
    ).toBe(true);
    const shown = json<RunJson>(cli('runs', 'show', run.id, '--tenant', 'acme', '--json').stdout);
    expect(shown.status).toBe('blocked');
    const confirmed = cli('runs', 'confirm', run.id, '--tenant', 'acme', '--json');
    expect(confirmed.code).toBe(0);
    expect(json<RunJson>(confirmed.stdout).counts.deactivated).toBe(3);
    const list = json<{ id: string; status: string }[]>(
      cli('runs', 'list', '--tenant', 'acme', '--json').stdout,
    );
    expect(list.find((x) => x.id === run.id)?.status).toBe('succeeded');
  });

  it('a malformed file is refused whole with the line at fault (exit 2)', () => {
    const r = cli(
      'upload',
      file('cut.csv', [header, '9,"unclosed@acme.example,X,Y,,,,,active']),
      '--tenant',
      'acme',
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/line \d/i);
  });

  it('unknown tenants and bad options are clear errors', () => {
    const r = cli('users', 'list', '--tenant', 'nope');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("No tenant 'nope'");
    expect(cli('upload', join(dir, 'roster.csv'), '--tenant', 'acme', '--kind', 'cats').code).toBe(2);
  });
});
