/**
 * One command of a setup script as a tool handler sees it, and the shape of a handler. A handler reads
 * `run.args`, reports through `run` and changes `run.state`; it returns how the command was read.
 */
import { quote, ref } from '../errors';
import type { BootStep, ConfigFinding, SourceRef } from '../spec';
import { baseName, type CommandStatus, type HostScriptState } from './state';
import type { SimpleCommand, Statement } from './syntax';

/**
 * A Linux command the simulator knows, registered by name in tools/index.ts. When `run.apply` is
 * false the command sits in a branch that does not run: the handler only checks its arguments (so a
 * lab is wrong in one way only, whichever branch its options take).
 */
export type Tool = (run: CommandRun) => CommandStatus;

export class CommandRun {
  /** The command's name without its path (`/sbin/ifconfig` → `ifconfig`). */
  readonly name: string;
  /** The arguments after the name. */
  readonly args: string[];
  readonly line: number;
  /** The statement as written, quoted for messages (`got "ifconfig eth1 …"`). */
  readonly got: string;
  readonly source: SourceRef;

  constructor(
    readonly state: HostScriptState,
    /** The expanded words, `sudo` dropped. */
    readonly argv: string[],
    readonly command: SimpleCommand,
    readonly statement: Statement,
    readonly apply: boolean,
  ) {
    this.name = baseName(argv[0] ?? '');
    this.args = argv.slice(1);
    this.line = statement.line;
    this.got = quote(statement.text);
    this.source = ref(state.file, statement.line);
  }

  /** An error: the real command would reject this line. */
  problem(message: string): void {
    this.state.problems.add(this.line, message);
  }

  /** A finding about a command that runs (none for a skipped branch). */
  finding(severity: ConfigFinding['severity'], message: string): void {
    if (this.apply) this.state.findings.add(severity, this.line, message);
  }

  unsupported(message: string): 'unsupported' {
    this.finding('unsupported', message);
    return 'unsupported';
  }

  /** A boot step, when the command runs. */
  step(step: BootStep): void {
    if (this.apply) this.state.bootSteps.push(step);
  }
}
