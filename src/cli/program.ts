/** The `rostersync` command line: every command registered on one commander program. */
import { Command } from 'commander';
import { registerAccounts } from './commands/accounts.js';
import { registerAdmin } from './commands/admin.js';
import { registerDirectory } from './commands/directory.js';
import { registerEmulate } from './commands/emulate.js';
import { registerRuns } from './commands/runs.js';
import { registerService } from './commands/service.js';
import { registerSync } from './commands/sync.js';

export function buildProgram(): Command {
  const program = new Command('rostersync')
    .description('Keeps a user directory in step with the HR system.')
    .showHelpAfterError()
    .exitOverride();
  registerAdmin(program);
  registerAccounts(program);
  registerSync(program);
  registerRuns(program);
  registerDirectory(program);
  registerService(program);
  registerEmulate(program);
  return program;
}
