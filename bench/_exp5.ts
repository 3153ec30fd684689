import { sourceRegistry } from '../src/sources/registry.js';
import { runSync } from '../src/engine/index.js';
import { startEmulatorProcess } from './emulator-client.js';
import { benchDeps, connectedTenant, freshStore } from './setup.js';
const N = Number(process.argv[2] ?? 20000);
const emu = await startEmulatorProcess({ provider: 'personio', count: N, seed: 7 });
void sourceRegistry;
const fresh = await freshStore({ dialect: 'sqlite' });
const deps = benchDeps({ store: fresh.store });
const tenant = await connectedTenant({ deps, provider: 'personio', config: emu.config });
const base = process.memoryUsage();
console.log('base rss', Math.round(base.rss / 1e6), 'heap', Math.round(base.heapUsed / 1e6));
let peak = { rss: 0, heap: 0, ext: 0, phase: '' };
let phase = '';
const timer = setInterval(() => { const m = process.memoryUsage(); if (m.rss > peak.rss) peak = { rss: m.rss, heap: m.heapUsed, ext: m.external + m.arrayBuffers, phase }; }, 50);
for (const name of ['first', 'noop']) {
  peak = { rss: 0, heap: 0, ext: 0, phase: '' };
  const s = performance.now();
  const r = await runSync(deps, { tenantId: tenant.id, trigger: 'manual', onProgress: (p) => { phase = p.phase; if (p.phase === 'apply' && p.done % 5 === 1) (globalThis as any).gc(); const m = process.memoryUsage(); if (m.rss > peak.rss) peak = { rss: m.rss, heap: m.heapUsed, ext: m.external + m.arrayBuffers, phase: p.phase + p.done }; } });
  console.log(name, Math.round(performance.now() - s), r.ok && r.value.status, 'peak rss', Math.round(peak.rss / 1e6), 'heap', Math.round(peak.heap / 1e6), 'ext', Math.round(peak.ext / 1e6), 'in', peak.phase, 'maxRSS', Math.round(process.resourceUsage().maxRSS / 1024));
}
clearInterval(timer);
await emu.close();
await fresh.dispose();
