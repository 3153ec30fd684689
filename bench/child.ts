/** Entry point of one child process: `node --import tsx bench/child.ts --scenario sync --dialect sqlite --size 1000 --out f.json`. */
import { writeFileSync } from 'node:fs';
import { parseChildArgs, runChild, runPlannerChild } from './size-run.js';
import { uploadScenario } from './upload.js';
import { webhookScenario } from './webhook.js';

const args = parseChildArgs(process.argv.slice(2));
const db =
  args.dialect === 'postgres'
    ? ({ dialect: 'postgres', url: process.env['BENCH_DATABASE_URL'] ?? '' } as const)
    : ({ dialect: 'sqlite' } as const);
let result: unknown;
if (args.scenario === 'upload') {
  const repetitions = await uploadScenario({ db, size: args.size, seed: args.seed, repeats: args.repeats });
  result = { dialect: args.dialect, size: args.size, repetitions };
} else if (args.scenario === 'planner') {
  result = { dialect: args.dialect, size: args.size, planner: await runPlannerChild(args) };
} else if (args.scenario === 'webhook') {
  const webhook = await webhookScenario({ db, employees: args.size, changes: args.changes, seed: args.seed });
  result = { dialect: args.dialect, ...webhook };
} else {
  result = await runChild(args, process.env);
}
const maxRssMb = process.resourceUsage().maxRSS / 1024;
writeFileSync(args.out, JSON.stringify({ ...(result as object), maxRssMb }));
