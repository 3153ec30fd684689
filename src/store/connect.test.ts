/** Database URLs and the SQLite file setup (folder created, WAL, foreign keys). */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, parseDatabaseUrl } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'rostersync-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parseDatabaseUrl', () => {
  it.each([
    ['sqlite:./data/rostersync.db', { dialect: 'sqlite', file: './data/rostersync.db' }],
    ['sqlite::memory:', { dialect: 'sqlite', file: ':memory:' }],
    ['postgres://u@h/db', { dialect: 'postgres', url: 'postgres://u@h/db' }],
    ['postgresql://u@h/db', { dialect: 'postgres', url: 'postgresql://u@h/db' }],
  ])('%s', (url, expected) => {
    expect(parseDatabaseUrl(url)).toEqual(expected);
  });

  it('refuses other schemes without echoing the rest of the URL', () => {
    expect(() => parseDatabaseUrl('mysql://root:s3cret@h/db')).toThrow(/'mysql:' is not supported/);
    expect(() => parseDatabaseUrl('mysql://root:s3cret@h/db')).not.toThrow(/s3cret/);
    expect(() => parseDatabaseUrl('sqlite:')).toThrow(/path is empty/);
  });
});

describe('openStore on a SQLite file', () => {
  it('creates the folder, uses WAL and enforces foreign keys; migrate twice is harmless', async () => {
    const file = join(dir, 'nested', 'folder', 'rostersync.db');
    const store = await openStore({ url: `sqlite:${file}` });
    await store.migrate();
    await store.migrate();
    await store.tenants.create({ id: 't1', slug: 'acme', name: 'Acme' });
    await expect(
      store.apply(
        { tenantId: 'no-such-tenant', runId: null, groups: [{ id: 'g', name: 'G' }] },
        { fence: null, now: new Date() },
      ),
    ).rejects.toMatchObject({ code: 'conflict' });
    await store.close();
    await store.close();
    expect(existsSync(file)).toBe(true);
    const raw = new BetterSqlite3(file, { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(raw.prepare('select count(*) as n from tenants').get()).toEqual({ n: 1 });
    } finally {
      raw.close();
    }
  });

  it('refuses a schema on SQLite', async () => {
    await expect(openStore({ url: 'sqlite::memory:', schema: 'x' })).rejects.toMatchObject({
      code: 'invalid_config',
    });
  });

  it('refuses an unsafe PostgreSQL schema name before connecting', async () => {
    await expect(
      openStore({ url: 'postgres://nobody@127.0.0.1:1/none', schema: 'x"; drop table users; --' }),
    ).rejects.toMatchObject({ code: 'invalid_config' });
  });
});
