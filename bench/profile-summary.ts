/** Reads a V8 `.cpuprofile` (what `node --cpu-prof` writes) and ranks functions and files by self time. */
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import type { SourceMapPayload } from 'node:module';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  readonly id: number;
  readonly children?: readonly number[];
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
    readonly columnNumber: number;
  };
}

/** The parts of a `.cpuprofile` the summary reads. */
export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** One row of a ranking: self time in ms and share of the window. */
export interface SelfTime {
  readonly name: string;
  readonly ms: number;
  readonly share: number;
}

export interface ProfileSummary {
  readonly totalMs: number;
  readonly functions: readonly SelfTime[];
  /** Our own functions (src/) by inclusive time: what a call costs with everything it calls. */
  readonly inclusive: readonly SelfTime[];
  /** Self time per source file (or native/V8 bucket), to see ours vs. libraries vs. GC. */
  readonly files: readonly SelfTime[];
}

export interface SummaryOptions {
  readonly top?: number;
  /** Only samples in this window (µs, the profile's clock): the sync, not the process start. */
  readonly window?: { readonly startUs: number; readonly endUs: number };
  /** Source maps by file URL: tsx serves modules minified to one line, without function names. */
  readonly sourceMaps?: Readonly<Record<string, unknown>>;
}

const root = fileURLToPath(new URL('..', import.meta.url));

/** `src/core/plan.ts`, `node_modules/kysely`, `node: internals`, or V8's own buckets. */
export const fileLabel = (url: string): string => {
  if (url === '') return '(native / V8)';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (modules?.[1] !== undefined) return `node_modules/${modules[1]}`;
  if (path.startsWith('node:')) return 'node: internals';
  return path.startsWith(root) ? relative(root, path) : path;
};

/** The identifier a source line declares (`export const plan = (`, `async function* read(`, `json() {`). */
export const declaredName = (line: string): string | undefined =>
  /(?:function\*?\s+|const\s+|let\s+)([A-Za-z_$][\w$]*)/.exec(line)?.[1] ??
  /^\s*(?:async\s+)?\*?([A-Za-z_$][\w$]*)\s*(?:\(|:\s*(?:async\s*)?\()/.exec(line)?.[1];

/** Names a profile frame, through its source map when there is one. */
const frameNamer = (maps: Readonly<Record<string, unknown>>) => {
  const cache = new Map<string, { map: SourceMap; lines: string[] } | null>();
  const mapOf = (url: string) => {
    let entry = cache.get(url);
    if (entry === undefined) {
      const payload = maps[url] as SourceMapPayload | undefined;
      // The source itself names the function: tsx's maps carry no names.
      entry =
        payload === undefined
          ? null
          : { map: new SourceMap(payload), lines: readFileSync(fileURLToPath(url), 'utf8').split('\n') };
      cache.set(url, entry);
    }
    return entry;
  };
  return (frame: ProfileNode['callFrame']): string => {
    const file = fileLabel(frame.url);
    const mapped = mapOf(frame.url);
    if (mapped !== null) {
      const e = mapped.map.findEntry(frame.lineNumber, frame.columnNumber) as {
        originalLine?: number;
        name?: string;
      };
      if (e.originalLine !== undefined) {
        const text = mapped.lines[e.originalLine] ?? '';
        const name = frame.functionName || e.name || declaredName(text) || '(anonymous)';
        return `${name} ${file}:${e.originalLine + 1}`;
      }
    }
    if (frame.url === '') return frame.functionName || '(anonymous)';
    return `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`;
  };
};

const rank = (totals: Map<string, number>, all: number, top: number): SelfTime[] =>
  [...totals]
    .map(([name, us]) => ({ name, ms: us / 1000, share: all === 0 ? 0 : us / all }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, top);

/** Self time per function (`name file:line`) and per file, biggest first. */
export function summarizeProfile(profile: CpuProfile, o: SummaryOptions = {}): ProfileSummary {
  const top = o.top ?? 20;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    t += delta;
    if (o.window && (t < o.window.startUs || t > o.window.endUs)) continue;
    const id = profile.samples[i] as number;
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  }
  const name = frameNamer(o.sourceMaps ?? {});
  const functions = new Map<string, number>();
  const files = new Map<string, number>();
  let all = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (frame === undefined) continue;
    all += us;
    const label = name(frame);
    const file = fileLabel(frame.url);
    functions.set(label, (functions.get(label) ?? 0) + us);
    files.set(file, (files.get(file) ?? 0) + us);
  }
  // Inclusive time: each node's subtree, counted once per function even when it recurses.
  const inclusive = new Map<string, number>();
  const walk = (node: ProfileNode, onStack: Set<string>): number => {
    let total = selfUs.get(node.id) ?? 0;
    const label = name(node.callFrame);
    const fresh = !onStack.has(label);
    if (fresh) onStack.add(label);
    for (const child of node.children ?? []) {
      const next = byId.get(child);
      if (next !== undefined) total += walk(next, onStack);
    }
    if (fresh) {
      onStack.delete(label);
      if (node.callFrame.url.includes('/src/')) inclusive.set(label, (inclusive.get(label) ?? 0) + total);
    }
    return total;
  };
  const rootNode = profile.nodes[0];
  if (rootNode !== undefined) walk(rootNode, new Set());
  return {
    totalMs: all / 1000,
    functions: rank(functions, all, top),
    inclusive: rank(inclusive, all, top),
    files: rank(files, all, top),
  };
}

/** Loads and summarizes a profile file. */
export const summarizeProfileFile = (path: string, o: SummaryOptions = {}): ProfileSummary =>
  summarizeProfile(JSON.parse(readFileSync(path, 'utf8')) as CpuProfile, o);

/** A plain-text table of a summary, for the console and docs. */
export function formatSummary(s: ProfileSummary, title: string): string {
  const line = (r: SelfTime): string =>
    `${r.ms.toFixed(0).padStart(8)} ms ${(r.share * 100).toFixed(1).padStart(5)}%  ${r.name}`;
  return [
    `${title}: ${s.totalMs.toFixed(0)} ms sampled`,
    '  top functions by self time:',
    ...s.functions.map((r) => `  ${line(r)}`),
    '  our functions by inclusive time:',
    ...s.inclusive.map((r) => `  ${line(r)}`),
    '  by file:',
    ...s.files.map((r) => `  ${line(r)}`),
  ].join('\n');
}
