/** Shell builtins that change the interpreter itself: `cd` (the directory relative paths start from) and `exit`. */
import type { CommandRun } from '../command';
import type { CommandStatus } from '../state';

export function cd(run: CommandRun): CommandStatus {
  if (run.apply) run.state.cwd = run.args.length === 0 ? '/root' : run.state.resolvePath(run.args[0]!);
  return 'harmless';
}

/** Nothing after `exit` runs (the commands are still read, and their arguments checked). */
export function exit(run: CommandRun): CommandStatus {
  if (run.apply) run.state.exited = true;
  return 'modelled';
}
