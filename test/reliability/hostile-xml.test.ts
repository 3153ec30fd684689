/**
 * Case 6, hostile XML: external entities, billion laughs, huge entities, numeric references, deep
 * nesting, `__proto__` tags and oversized files are refused with a 4xx-class error (or parsed with no
 * expansion), nothing is fetched, the tenant is untouched, and big files parse off the event loop.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadEmployees } from '../../src/engine/index.js';
import { parseEmployeeUpload } from '../../src/engine/parse-file.js';
import { parseEmployeeFile } from '../../src/sources/file/index.js';
import { describeEachDialect } from '../db.js';
import { fileRows, fileWorld } from './support/files.js';
import { startCanary, type Canary } from './support/loopback.js';
import { activeEmails } from './support/world.js';

const full = process.env.RELIABILITY_FULL === '1';
const employee = (firstName: string, extra = ''): string =>
  `<employee><employee_id>1</employee_id><email>a@acme.example</email><first_name>${firstName}</first_name><last_name>X</last_name>${extra}</employee>`;
const doc = (dtd: string, body: string): string =>
  `<?xml version="1.0"?>\n${dtd}\n<employees>${body}</employees>`;

const hostile = (canaryUrl: string): [string, string][] => {
  const lol = ['<!ENTITY lol "lol">'];
  for (let i = 1; i <= 9; i++) lol.push(`<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`);
  return [
    [
      'external file entity',
      doc('<!DOCTYPE employees [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', employee('&xxe;')),
    ],
    [
      'external http entity',
      doc(`<!DOCTYPE employees [<!ENTITY xxe SYSTEM "${canaryUrl}/xxe">]>`, employee('&xxe;')),
    ],
    [
      'parameter entity',
      doc(`<!DOCTYPE employees [<!ENTITY % p SYSTEM "${canaryUrl}/dtd"> %p;]>`, employee('Jane')),
    ],
    ['external DTD', doc(`<!DOCTYPE employees SYSTEM "${canaryUrl}/ext.dtd">`, employee('Jane'))],
    ['billion laughs', doc(`<!DOCTYPE employees [${lol.join('')}]>`, employee('&lol9;'))],
    [
      'huge entity x 5000 references',
      doc(`<!DOCTYPE employees [<!ENTITY big "${'B'.repeat(5000)}">]>`, employee('&big;'.repeat(5000))),
    ],
    ['5000-deep nesting', `<employees>${'<employee>'.repeat(5000)}${'</employee>'.repeat(5000)}</employees>`],
    ['__proto__ element', doc('', employee('Jane', '<__proto__><polluted>yes</polluted></__proto__>'))],
    [
      'constructor element',
      doc('', employee('Jane', '<constructor><prototype><polluted>yes</polluted></prototype></constructor>')),
    ],
    ['two roots', '<employees></employees><employees></employees>'],
  ];
};

describe('reliability 6: hostile XML at the parser', () => {
  let canary: Canary;
  beforeAll(async () => {
    canary = await startCanary();
  });
  afterAll(async () => canary.close());

  it('refuses every hostile document with invalid_input, fetches nothing, pollutes nothing', () => {
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    for (const [name, xml] of hostile(canary.url)) {
      const result = parseEmployeeFile(xml, { format: 'xml' });
      expect(result.ok, name).toBe(false);
      if (!result.ok) {
        expect(result.error.code, name).toBe('invalid_input');
        expect(result.error.message, name).not.toContain('root:');
        expect(result.error.message.length, name).toBeLessThan(600);
      }
    }
    delay.disable();
    expect(canary.connections()).toBe(0);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    console.info(`[reliability 6] hostile XML: max event-loop delay ${(delay.max / 1e6).toFixed(1)} ms`);
  });

  it('300 000 numeric references parse without expansion: one character each, nothing more', () => {
    const refs = '&#65;'.repeat(300_000);
    const result = parseEmployeeFile(doc('', employee(refs)), { format: 'xml' });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value.people[0]?.attributes.firstName).toBe('A'.repeat(300_000));
  });

  it('a 50 MB file over the configured limit is refused before any parsing', async () => {
    const fifty = Buffer.alloc(50 * 1024 * 1024, 0x20);
    fifty.write('<employees>', 0);
    const before = process.memoryUsage().heapUsed;
    const result = await parseEmployeeUpload(fifty, { format: 'xml', maxBytes: 8 * 1024 * 1024 });
    expect(!result.ok && result.error.code).toBe('payload_too_large');
    // Refused on its byte count: the 50 MB were never decoded into a string (that alone is 100 MB of heap).
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(20 * 1024 * 1024);
  });

  it('a big file parses in a worker thread: the event loop keeps turning meanwhile', async () => {
    const rows = Array.from(
      { length: full ? 220_000 : 6_000 },
      (_, i) =>
        `<employee><employee_id>${i}</employee_id><email>u${i}@acme.example</email><first_name>F${i}</first_name><last_name>L${i}</last_name><job_title>Engineer</job_title></employee>`,
    );
    const xml = `<employees>${rows.join('\n')}</employees>`;
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 5);
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const result = await parseEmployeeUpload(xml, { format: 'xml', worker: 'always' });
    delay.disable();
    clearInterval(timer);
    expect(result.ok && result.value.people.length).toBe(rows.length);
    // Inline, a parse this size runs in one synchronous call: no timer could fire until it returned.
    expect(ticks).toBeGreaterThan(3);
    console.info(
      `[reliability 6] ${(xml.length / 1e6).toFixed(1)} MB XML in a worker: ${ticks} timer ticks, max event-loop delay ${(delay.max / 1e6).toFixed(1)} ms`,
    );
  });

  it('a file needing more memory than the worker may use is refused; the process lives on', async () => {
    const rows = Array.from(
      { length: 20_000 },
      (_, i) =>
        `<employee><employee_id>${i}</employee_id><email>u${i}@acme.example</email><first_name>F</first_name><last_name>L</last_name></employee>`,
    );
    const result = await parseEmployeeUpload(`<employees>${rows.join('')}</employees>`, {
      format: 'xml',
      worker: 'always',
      maxMemoryMb: 8,
    });
    expect(!result.ok && result.error.code).toBe('payload_too_large');
  });
});

describeEachDialect('reliability 6: hostile XML uploads', (getStore) => {
  let canary: Canary;
  beforeAll(async () => {
    canary = await startCanary();
  });
  afterAll(async () => canary.close());

  it('every hostile upload is refused whole: no run applied, nobody deactivated', async () => {
    const store = getStore();
    const { deps, tenant } = await fileWorld(store, { rows: fileRows(6) });
    for (const [name, xml] of hostile(canary.url)) {
      const rowsBefore = store.stats.directoryRows;
      const result = await uploadEmployees(deps, { tenantId: tenant.id, content: xml, format: 'xml' });
      expect(!result.ok && result.error.code, name).toBe('invalid_input');
      expect(store.stats.directoryRows, name).toBe(rowsBefore);
    }
    expect(await activeEmails(store, tenant.id)).toHaveLength(6);
    expect(canary.connections()).toBe(0);
  });
});
