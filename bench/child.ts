/** Entry point of a size's child process: `node --import tsx bench/child.ts --dialect sqlite --size 1000 --out f.json`. */
import { writeFileSync } from 'node:fs';
import { parseChildArgs, runChild } from './size-run.js';

const args = parseChildArgs(process.argv.slice(2));
const result = await runChild(args, process.env);
writeFileSync(args.out, JSON.stringify(result));
