/** Browser test: the file source: enable it, create an upload key, preview a file with bad rows, apply it, download the errors. */
import { readFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, openBrowser, type BrowserSession } from './support/browser.js';
import { startStack, type Stack } from './support/stack.js';
import { checkPage, signIn } from './support/ui.js';

/** Three good rows, one without an email and one with a birth date that is not ISO. */
const employeesCsv = [
  'employee_id,email,first_name,last_name,job_title,department,birth_date',
  'E1,lena.kraus@acme.example,Lena,Kraus,Engineer,Engineering,1990-04-01',
  'E2,omar.haddad@acme.example,Omar,Haddad,Designer,Design,1988-11-12',
  'E3,sofia.ricci@acme.example,Sofia,Ricci,Recruiter,People,1993-02-27',
  'E4,,Jonas,Weber,Engineer,Engineering,1991-06-30',
  'E5,mia.larsen@acme.example,Mia,Larsen,Analyst,Finance,31/12/1990',
].join('\n');

describe.skipIf(!browserAvailable())('file upload in the admin UI, in chromium', () => {
  let stack: Stack;
  let b: BrowserSession;

  beforeAll(async () => {
    stack = await startStack({ employees: 5 });
    b = await openBrowser({ baseUrl: stack.baseUrl });
  });
  afterAll(async () => {
    await b?.close();
    await stack?.close();
  });
  afterEach(() => {
    expect(b.consoleErrors).toEqual([]);
    // Only the first visit's "no session yet" is an API error here.
    expect(b.apiStatusLines.filter((line) => !/status of 401 /.test(line))).toEqual([]);
  });

  it('enables the file source and creates an upload key that is shown once', async () => {
    const p = b.page;
    await signIn(p);
    await p.getByRole('button', { name: 'Connect CSV/XML upload' }).click();
    await p.getByRole('button', { name: 'Apply' }).click();
    await p.getByRole('heading', { level: 2, name: 'CSV/XML upload: upload' }).waitFor();
    await p.getByLabel('Key name').fill('nightly export');
    await p.getByRole('button', { name: 'Create API key' }).click();
    const key = await p.getByTestId('new-api-key').inputValue();
    expect(key).toMatch(/^rs_/);
    expect(await p.getByRole('textbox', { name: 'Upload with API key (optional)' }).inputValue()).toBe(key);
    await p.getByRole('cell', { name: 'nightly export', exact: true }).waitFor();
    expect((await stack.deps.store.apiKeys.list(stack.tenantId)).map((k) => k.name)).toEqual([
      'nightly export',
    ]);
  });

  it('previews a file with bad rows, applies it, and downloads the error file', async () => {
    const p = b.page;
    await p.getByLabel('Employee file (CSV or XML)').setInputFiles({
      name: 'employees.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(employeesCsv),
    });
    const preview = p.getByTestId('upload-preview');
    await preview.getByText('Rows with problems').waitFor();
    expect(await preview.getByText('Would create').count()).toBe(3);
    expect(await preview.getByRole('table').first().getByText('Error', { exact: true }).count()).toBe(2);
    expect((await stack.deps.store.directory.listUsers(stack.tenantId, { limit: 1 })).total).toBe(0);
    await checkPage(p, 'upload-preview');

    await p.getByRole('button', { name: 'Apply this file' }).click();
    const errors = p.getByTestId('run-errors');
    await errors.waitFor({ timeout: 30_000 });
    expect(await errors.getByText('2 records not synced').count()).toBe(1);
    expect((await stack.deps.store.directory.listUsers(stack.tenantId, { limit: 10 })).total).toBe(3);
    await checkPage(p, 'integrations-file-upload');

    const [download] = await Promise.all([
      p.waitForEvent('download'),
      errors.getByRole('link', { name: 'Download the error file (CSV)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^run-.*-errors\.csv$/);
    const csv = await readFile(await download.path(), 'utf8');
    const lines = csv.trim().split(/\r?\n/);
    expect(lines[0]).toBe('severity,record,source_id,email,field,code,message');
    expect(
      lines
        .slice(1)
        .map((l) => l.split(',')[2])
        .sort(),
    ).toEqual(['E4', 'E5']);
  });
});
