import { startNmbrsEmulator } from './emulator.js';
import source from './index.js';
const n = Number(process.argv[2] ?? 1000);
const emu = await startNmbrsEmulator({ count: n });
const ctx = { allowLoopback: true, stats: { requests: 0, retries: 0 } };
const config = {
  domain: 'acme',
  username: 'api@acme.example',
  token: 'nmbrs-emulator-token',
  baseUrl: emu.url,
};
const cpu0 = process.cpuUsage();
const t = performance.now();
const rss0 = process.memoryUsage().rss;
let count = 0,
  pages = 0,
  peak = 0;
for await (const page of source.read(config, ctx)) {
  pages++;
  count += page.length;
  for (const r of page) source.map(r);
  peak = Math.max(peak, process.memoryUsage().heapUsed);
}
const cpu = process.cpuUsage(cpu0);
console.log(
  JSON.stringify({
    n,
    count,
    pages,
    ms: Math.round(performance.now() - t),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    requests: ctx.stats.requests,
    served: emu.state.requests,
    peakHeapMB: Math.round(peak / 1e6),
  }),
);
await emu.close();
