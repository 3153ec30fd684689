import { randomUUID } from 'node:crypto';
import { plan } from '../src/core/index.js';
import { planToBatches } from '../src/engine/apply.js';
import { sourceRegistry } from '../src/sources/registry.js';
import { openStore } from '../src/store/index.js';
import { startEmulatorProcess } from './emulator-client.js';
import { readRoster } from './floors.js';
const N = Number(process.argv[2] ?? 30000);
const emu = await startEmulatorProcess({ provider: 'personio', count: N, seed: 7 });
const source = sourceRegistry('personio')!;
const roster = await readRoster({ source, config: emu.config });
await emu.close();
const store = await openStore({ url: `sqlite:/tmp/exp2-${Date.now()}/x.db` });
await store.migrate();
const t = randomUUID();
await store.tenants.create({ id: t, slug: 'x' + t.slice(0, 6), name: 'x' });
const runId = randomUUID();
await store.runs.create({ id: runId, tenantId: t, integrationId: 'i', provider: 'personio', mode: 'full', trigger: 'manual', dryRun: false });
let s = performance.now();
const p = plan({ tenantId: t, integrationId: 'i', mode: 'full', roster, managedFields: source.spec.managedFields, users: [], groups: [], references: { departments: [], positions: [], locations: [] }, genderChoices: ['female', 'male'], leaverPolicy: 'deactivate', today: '2026-11-23', newId: randomUUID });
console.log('plan', Math.round(performance.now() - s));
const bs = planToBatches(p, { tenantId: t, integrationId: 'i', runId, batchSize: 1000, actor: 'run', items: true });
console.log('creates', p.counts.created, 'managers pass', bs.reduce((n, b) => n + (b.setManagers?.length ?? 0), 0), 'inline', bs.reduce((n, b) => n + (b.createUsers?.filter((u) => u.managerId).length ?? 0), 0));
const batches = planToBatches(p, { tenantId: t, integrationId: 'i', runId, batchSize: 1000, actor: 'run', items: true });
const acc: Record<string, number> = {};
for (const b of batches) {
  for (const key of ['references', 'createUsers', 'setManagers', 'audit', 'runItems'] as const) {
    if (!b[key] || (b[key] as unknown[]).length === 0) continue;
    const s2 = performance.now();
    await store.apply({ tenantId: t, runId, [key]: b[key] }, { fence: null, now: new Date() });
    acc[key] = (acc[key] ?? 0) + performance.now() - s2;
  }
}
console.log(Object.fromEntries(Object.entries(acc).map(([k, v]) => [k, Math.round(v)])));
await store.close();
