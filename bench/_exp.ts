import { randomUUID } from 'node:crypto';
import { openStore } from '../src/store/index.js';
const N = Number(process.argv[2] ?? 100000);
const dir = '/tmp/exp-' + Date.now();
const store = await openStore({ url: `sqlite:${dir}/x.db` });
await store.migrate();
const t = randomUUID();
await store.tenants.create({ id: t, slug: 'x' + t.slice(0, 6), name: 'x' });
const ids = Array.from({ length: N }, () => randomUUID());
const att = (i: number) => ({ email: `p${i}@x.example`, firstName: 'A', lastName: 'B', birthDate: null, gender: 'female', employeeNumber: null, jobTitle: 'Eng', department: 'Sales', location: null, phoneNumber: null, contractType: null, firstHiredOn: '2020-01-01', currentHiredOn: null, leavingDate: null });
let s = performance.now();
for (let b = 0; b < N; b += 1000) {
  await store.apply({ tenantId: t, runId: null, createUsers: ids.slice(b, b + 1000).map((id, j) => ({ id, attributes: att(b + j), active: true, integrationId: 'i', sourceId: String(b + j) })) }, { fence: null, now: new Date() });
}
console.log('insert in 1000-batches', Math.round(performance.now() - s));
s = performance.now();
for (let b = 0; b < N; b += 4000) {
  const s2 = performance.now();
  await store.apply({ tenantId: t, runId: null, setManagers: ids.slice(b, b + 4000).map((id, j) => ({ userId: id, managerId: ids[Math.floor((b + j) / 5)]! })) }, { fence: null, now: new Date() });
  if (b % 20000 === 0) console.log(' managers batch', b, Math.round(performance.now() - s2));
}
console.log('managers', Math.round(performance.now() - s));
await store.close();
