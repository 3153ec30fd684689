import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
const dir = process.argv[2]!; const phase = process.argv[3]!;
const p = JSON.parse(readFileSync(`${dir}/${phase}.cpuprofile`, 'utf8'));
const meta = JSON.parse(readFileSync(`${dir}/${phase}.meta.json`, 'utf8'));
const maps = new Map<string, SourceMap>(); const srcs = new Map<string, string[]>();
const name = (f: any): string => {
  const payload = meta.sourceMaps[f.url];
  if (!payload) return `${f.functionName || '(anon)'} ${f.url.split('/').slice(-2).join('/')}`;
  if (!maps.has(f.url)) { maps.set(f.url, new SourceMap(payload)); srcs.set(f.url, readFileSync(new URL(f.url), 'utf8').split('\n')); }
  const e: any = maps.get(f.url)!.findEntry(f.lineNumber, f.columnNumber);
  const line = (srcs.get(f.url)![e.originalLine] ?? '').trim();
  const m = /(?:function\*?\s+|const\s+|let\s+)([A-Za-z_$][\w$]*)/.exec(line)?.[1] ?? /^\s*(?:async\s+)?\*?([A-Za-z_$][\w$]*)\s*(?:\(|:\s*(?:async\s*)?\()/.exec(line)?.[1];
  return `${f.functionName || m || '(anon)'} ${f.url.split('/').slice(-2).join('/')}:${(e.originalLine ?? 0) + 1}`;
};
const { startUs, endUs } = meta.window;
const self = new Map<number, number>(); let t = p.startTime;
for (let i = 0; i < p.samples.length; i++) { t += p.timeDeltas[i]; if (t < startUs || t > endUs) continue; self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + p.timeDeltas[i]); }
const byId = new Map<number, any>(p.nodes.map((n: any) => [n.id, n]));
const incl = new Map<string, number>();
const walk = (n: any, onStack: Set<string>): number => {
  let total = self.get(n.id) ?? 0;
  const nm = name(n.callFrame);
  const fresh = !onStack.has(nm);
  if (fresh) onStack.add(nm);
  for (const c of n.children ?? []) total += walk(byId.get(c), onStack);
  if (fresh) { onStack.delete(nm); incl.set(nm, (incl.get(nm) ?? 0) + total); }
  return total;
};
walk(p.nodes[0], new Set());
const filter = process.argv[4] ?? 'src/';
for (const [k, v] of [...incl].filter(([k]) => k.includes(filter)).sort((a, b) => b[1] - a[1]).slice(0, Number(process.argv[5] ?? 40))) console.log(String(Math.round(v / 1000)).padStart(7), k);
