import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
const dir = process.argv[2]!; const phase = process.argv[3]!; const target = process.argv[4]!;
const p = JSON.parse(readFileSync(`${dir}/${phase}.cpuprofile`, 'utf8'));
const meta = JSON.parse(readFileSync(`${dir}/${phase}.meta.json`, 'utf8'));
const maps = new Map<string, SourceMap>();
const name = (f: any): string => {
  const payload = meta.sourceMaps[f.url];
  if (!payload) return `${f.functionName}@${f.url.split('/').slice(-2).join('/')}`;
  if (!maps.has(f.url)) maps.set(f.url, new SourceMap(payload));
  const e: any = maps.get(f.url)!.findEntry(f.lineNumber, f.columnNumber);
  const lines = readFileSync(new URL(f.url), 'utf8').split('\n');
  return `${f.functionName}@${f.url.split('/').slice(-2).join('/')}:${(e.originalLine ?? 0) + 1} ${(lines[e.originalLine] ?? '').trim().slice(0, 60)}`;
};
const parent = new Map<number, any>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n);
const self = new Map<number, number>();
for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + p.timeDeltas[i]);
const agg = new Map<string, number>();
for (const n of p.nodes) {
  if (n.callFrame.functionName !== target) continue;
  const chain: string[] = [];
  let x = parent.get(n.id);
  while (x && chain.length < 6) { if (x.callFrame.url.includes('/src/')) chain.push(name(x.callFrame)); x = parent.get(x.id); }
  const k = chain.join('\n   <- ');
  agg.set(k, (agg.get(k) ?? 0) + (self.get(n.id) ?? 0));
}
for (const [k, v] of [...agg].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log(Math.round(v / 1000), 'ms\n   ', k, '\n');
