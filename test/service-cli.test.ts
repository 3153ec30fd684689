/** CLI for accounts and the console upload: `admin create`, `apikey create|list|revoke`, `upload --server` against a live server. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { remoteUpload } from '../src/cli/commands/remote-upload.js';
import { createTenant } from '../src/engine/index.js';
import { openStore, type Store } from '../src/store/index.js';
import { PASSWORD, startService, type Service } from './service-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'rostersync-service-cli-'));
const env: NodeJS.ProcessEnv = {
  ...process.env,
  DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`,
  ROSTERSYNC_DATA_DIR: dir,
};
delete env.ROSTERSYNC_SECRET_KEYS;
delete env.ROSTERSYNC_API_KEY;

/** Runs the CLI without blocking this process (the server under test answers it). */
function cli(args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/rostersync.js', ...args], {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const roster = [
  'employee_id,email,first_name,last_name,job_title,department,manager_employee_id,groups,status',
  '1,ada@acme.example,Ada,Lovelace,CEO,Board,,Leadership,active',
  '2,alan@acme.example,Alan,Turing,Engineer,Engineering,1,Engineering,active',
  '3,bad-email,Bad,Row,Clerk,Sales,1,,active',
].join('\n');

describe('service CLI', () => {
  let store: Store;
  let svc: Service;
  let url: string;
  beforeAll(async () => {
    store = await openStore({ url: env.DATABASE_URL ?? '' });
    await store.migrate();
    svc = await startService(store);
    const tenant = await createTenant(svc.deps, { slug: 'acme', name: 'Acme' });
    if (!tenant.ok) throw tenant.error;
    url = await svc.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await svc.app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('admin create reads the password from stdin and the admin can sign in', async () => {
    const created = await cli(
      ['admin', 'create', '--tenant', 'acme', '--email', 'boss@acme.example', '--password-stdin', '--json'],
      `${PASSWORD}\n`,
    );
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({
      email: 'boss@acme.example',
      role: 'admin',
      tenant: 'acme',
    });
    const login = await svc.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: 'boss@acme.example', password: PASSWORD },
    });
    expect(login.statusCode).toBe(200);
  });

  it('apikey create prints the key once ({"id","key","scopes"}); list never shows it; revoke stops it', async () => {
    const created = await cli([
      'apikey',
      'create',
      '--tenant',
      'acme',
      '--name',
      'hr export',
      '--scope',
      'hr-data:write',
      '--scope',
      'admin',
      '--json',
    ]);
    expect(created.code).toBe(0);
    const key = JSON.parse(created.stdout) as { id: string; key: string; scopes: string[] };
    expect(Object.keys(key).sort()).toEqual(['id', 'key', 'scopes']);
    expect(key.scopes).toEqual(['admin', 'hr-data:write']);

    const upload = await cli([
      'upload',
      file('roster.csv', roster),
      '--server',
      url,
      '--api-key',
      key.key,
      '--json',
    ]);
    expect(upload.stderr).toBe('');
    expect(upload.code).toBe(4);
    const run = JSON.parse(upload.stdout) as {
      status: string;
      counts: { created: number };
      errors: { field: string }[];
    };
    expect(run).toMatchObject({ status: 'partial', counts: { created: 2 } });
    expect(run.errors).toEqual([expect.objectContaining({ field: 'email' })]);

    const list = await cli(['apikey', 'list', '--tenant', 'acme', '--json']);
    expect(list.code).toBe(0);
    expect(list.stdout).not.toContain(key.key);
    expect(
      (JSON.parse(list.stdout) as { id: string; lastUsedAt: string | null }[]).find((k) => k.id === key.id)
        ?.lastUsedAt,
    ).not.toBeNull();
    const revoked = await cli(['apikey', 'revoke', key.id, '--tenant', 'acme', '--json']);
    expect(revoked.code).toBe(0);
    const refused = remoteUpload({
      server: url,
      apiKey: key.key,
      file: 'roster.csv',
      content: Buffer.from(roster),
      kind: 'employees',
    });
    const error = (await refused.catch((e: unknown) => e)) as { code: number; message: string };
    expect(error.code).toBe(1);
    expect(error.message).toContain('API key');
  });

  it('remoteUpload follows the run to its end and reports progress', async () => {
    const created = await svc.app.inject({ method: 'GET', url: '/healthz' });
    expect(created.statusCode).toBe(200);
    const { createApiKey } = await import('../src/engine/index.js');
    const tenant = await store.tenants.getBySlug('acme');
    const key = await createApiKey(svc.deps, {
      tenantId: tenant?.id ?? '',
      name: 'inline',
      scopes: ['hr-data:write'],
    });
    if (!key.ok) throw key.error;
    const lines: string[] = [];
    const result = await remoteUpload({
      server: `${url}/`,
      apiKey: key.value.key,
      file: 'roster.csv',
      content: Buffer.from(roster.split('\n').slice(0, 3).join('\n')),
      kind: 'employees',
      pollMs: 5,
      progress: (line) => lines.push(line),
    });
    expect(result.kind === 'run' && result.run.status).toBe('succeeded');
    expect(lines[0]).toMatch(/^uploading roster\.csv \(\d+ B\)/);
    expect(lines.some((l) => l.startsWith('accepted: run '))).toBe(true);
    const positions = await remoteUpload({
      server: url,
      apiKey: key.value.key,
      file: 'positions.xml',
      content: Buffer.from('<positions><position><title>Advisor</title></position></positions>'),
      kind: 'positions',
    });
    expect(positions).toMatchObject({ kind: 'positions', positions: 1, created: 1 });
    const malformed = remoteUpload({
      server: url,
      apiKey: key.value.key,
      file: 'cut.csv',
      content: Buffer.from(`${roster}\n9,"unclosed,X,Y,,,,,active\n`),
      kind: 'employees',
    });
    // Exit code 2 like the local command; the message names the line.
    const failed = (await malformed.catch((e: unknown) => e)) as { code: number; message: string };
    expect(failed.code).toBe(2);
    expect(failed.message).toMatch(/line \d/i);
  });
});
