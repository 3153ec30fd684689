/** `npm run bench`: sync cost as ratios to floors measured in the same run (see docs/performance.md). */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseBenchArgs } from './args.js';
import { runProfile } from './profile.js';
import { extraSections, markdownTable, tableHeader, tableRows, textTable } from './render.js';
import { runBench } from './run-all.js';

const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));
const args = parseBenchArgs({ argv: process.argv.slice(2), env: process.env });
const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

if (args.profile) {
  await runProfile({ size: Math.max(...args.sizes), seed: args.seed, resultsDir });
} else {
  log(
    `rostersync bench: sizes ${args.sizes.join(', ')}, ${args.repeats} repetitions, databases: sqlite${args.postgresUrl ? ', postgres' : ''}`,
  );
  const report = await runBench(args, log);
  const rows = tableRows(report);
  process.stdout.write(
    `\n${textTable(tableHeader, rows)}\n\n${extraSections(report, { markdown: false })}\n`,
  );
  process.stdout.write(
    `\nran in ${Math.round(report.meta.durationMs / 1000)} s; load average ${report.meta.loadAverage.start} → ${report.meta.loadAverage.end} on ${report.meta.cpus} CPUs\n`,
  );
  // Only a run of everything replaces the committed result; partial runs go beside it.
  const name = args.out ?? `${resultsDir}${report.meta.complete ? 'latest' : 'partial'}`;
  const base = name.replace(/\.json$/, '');
  writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(
    `${base}.md`,
    `${markdownTable(tableHeader, rows)}\n\n${extraSections(report, { markdown: true })}\n`,
  );
  log(`wrote ${base}.json and ${base}.md`);
}
