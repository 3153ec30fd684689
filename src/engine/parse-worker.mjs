// Worker-thread entry of parse-file.ts: loads the TypeScript sources through tsx, as bin/rostersync.js does.
import { register } from 'tsx/esm/api';

register();
await import('./parse-worker.ts');
