import { writeFileSync, readdirSync } from 'node:fs';
import { findSourceMap } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { plan } from '../src/core/index.js';
import { sourceRegistry } from '../src/sources/registry.js';
import { personioRoster } from './roster.js';
import { syncedInput } from './planner.js';
const N = Number(process.argv[2] ?? 30000);
const roster = personioRoster({ count: N, seed: 7 });
const input = syncedInput({ roster, managedFields: sourceRegistry('personio')!.spec.managedFields });
plan(input);
const s0 = Number(process.hrtime.bigint() / 1000n);
for (let i = 0; i < 5; i++) { const s = performance.now(); plan(input); console.log(Math.round(performance.now() - s)); }
const s1 = Number(process.hrtime.bigint() / 1000n);
const files = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => e.isDirectory() ? files(join(d, e.name)) : e.name.endsWith('.ts') ? [join(d, e.name)] : []);
const maps: Record<string, unknown> = {};
for (const f of files('/work/main/src')) { const u = pathToFileURL(f).href; const m = findSourceMap(u); if (m) maps[u] = m.payload; }
writeFileSync(process.env.META!, JSON.stringify({ window: { startUs: s0, endUs: s1 }, sourceMaps: maps }));
