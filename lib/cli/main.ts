#!/usr/bin/env node
/**
 * The anycast-lab command line (its commands and options: program.ts). Errors are one clear line
 * (file:line: what was expected, or the option and what it takes), never a stack trace; a usage
 * error adds where the command's help is. Set ANYCAST_LAB_DEBUG=1 to see a stack trace.
 *
 * Exit status: 0, 1 (a failing check, an error), 2 (a usage or lab-file error), 130 (stopped by
 * Ctrl-C after printing what was done), 141 (stdout closed early, as by `| head`).
 */
import { FailureError } from '../config/failures';
import { CommanderError } from 'commander';
import { ExecError } from '../lab/consoles/index';
import { LabFileError } from '../config/errors';
import { SweepError } from '../sweep';
import { UsageError } from './options';
import { buildProgram, type CommandResult } from './program';
import { clearProgressLine, runSteps, runStepsAsync, type StepIo, type Steps } from './steps';

/** Where long commands report progress, and what stops them (Ctrl-C). */
export interface CliIo extends StepIo {
  err?: (s: string) => void;
}

// A line of output first erases a progress line drawn on the terminal (steps.ts).
const stdoutLine = (s: string): void => {
  clearProgressLine();
  process.stdout.write(s + '\n');
};
const stderrLine = (s: string): void => {
  clearProgressLine();
  process.stderr.write(s + '\n');
};

function isSteps(r: CommandResult): r is Steps<number> {
  return typeof r === 'object' && r !== null && typeof (r as Steps<number>).next === 'function' && !(r instanceof Promise);
}

/** A usage error thrown while `command` ran points at that command's help. */
function naming(command: string): (e: unknown) => never {
  return (e) => {
    if (e instanceof UsageError && e.command === '') e.command = command;
    throw e;
  };
}

/**
 * Runs one command line. A stepped command (routes, capture, exec, failover --runs) runs straight
 * through unless `io` can stop it (`signal`, `interrupts`): then it runs on the event loop and the
 * result is a promise, as it is for `sweep` (worker threads) and `real ...` (real daemons).
 */
export function main(argv: string[], out: (s: string) => void = stdoutLine, io: CliIo = {}): number | Promise<number> {
  const err = io.err ?? stderrLine;
  let command = '';
  let run: (() => CommandResult) | null = null;
  const program = buildProgram({ out, err, steps: io }, (c, r) => {
    command = c;
    run = r;
  });
  if (argv.length === 0) {
    program.outputHelp();
    return 2;
  }
  try {
    program.parse(argv, { from: 'user' });
  } catch (e) {
    // --help and `help`: shown, and that is all.
    if (e instanceof CommanderError && e.exitCode === 0) return 0;
    throw e;
  }
  const chosen = run as (() => CommandResult) | null;
  if (chosen === null) return 0;
  const tag = naming(command);
  try {
    const result = chosen();
    if (typeof result === 'number') return result;
    if (result instanceof Promise) return result.catch(tag);
    if (!isSteps(result)) return result;
    if (io.signal === undefined && io.interrupts === undefined) return runSteps(result);
    return runStepsAsync(command, result, io).catch(tag);
  } catch (e) {
    return tag(e);
  }
}

/**
 * Runs a command line in-process and returns its exit code and what it printed, as the shell would
 * see them (errors included, never thrown): for tests and notebooks.
 */
export function runCli(args: string[]): { code: number; out: string; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  let code: number;
  try {
    // Refused before it starts, or it would go on writing after this returns.
    const command = args.find((a) => !a.startsWith('-'));
    if (command === 'sweep') throw new Error('sweep runs asynchronously: use runCliAsync');
    // The real-lab commands take minutes and root: they run as their own process, never in-process.
    if (command === 'real') throw new UsageError('the real-lab commands run in their own process: node dist/cli/main.js real ...');
    const result = main(args, (s) => out.push(s), { err: (s) => err.push(s) });
    if (typeof result !== 'number') throw new Error(`${args[0]} runs asynchronously: use runCliAsync`);
    code = result;
  } catch (e) {
    code = reportError(e, (s) => err.push(s));
  }
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** `runCli` for every command, the asynchronous ones (sweep) included; with `io.signal`, a stepped command stops when it aborts. */
export async function runCliAsync(args: string[], io: Omit<CliIo, 'err'> = {}): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  let code: number;
  try {
    code = await main(args, (s) => out.push(s), { ...io, err: (s) => err.push(s) });
  } catch (e) {
    code = reportError(e, (s) => err.push(s));
  }
  return { code, out: out.join('\n'), err: err.join('\n') };
}

export function reportError(e: unknown, err: (s: string) => void = stderrLine): number {
  if (process.env['ANYCAST_LAB_DEBUG'] === '1' && e instanceof Error) err(e.stack ?? e.message);
  if (e instanceof LabFileError) {
    err(`error: ${e.message}`);
    return 2;
  }
  if (e instanceof UsageError) {
    // One line, then where the explanation is: the whole help would scroll the message away.
    err(`error: ${e.message}\nsee: anycast-lab ${e.command === '' ? '' : `${e.command} `}--help`);
    return 2;
  }
  if (e instanceof ExecError || e instanceof SweepError) {
    err(`error: ${e.message}`);
    return 1;
  }
  // The library names a failure as the API sees it; on the command line it came from --fail.
  if (e instanceof FailureError) {
    err(`error: --fail ${e.detail}`);
    return 1;
  }
  err(`error: ${e instanceof Error ? e.message : String(e)}`);
  return 1;
}

/**
 * Output into a closed pipe (`anycast-lab check anycast | head -2`) ends the process quietly with
 * 141, the status a Unix tool killed by SIGPIPE (13) has in the shell (128 + 13): Node ignores
 * SIGPIPE, so the write fails with EPIPE instead, which would otherwise end in a stack trace.
 */
function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') process.exit(141);
    throw e;
  });
}

if (require.main === module) {
  quietOnClosedPipe(process.stdout);
  quietOnClosedPipe(process.stderr);
  // Ctrl-C stops a long run between two steps (a sweep between rows: the output stays a clean,
  // resumable prefix). Only those listen for it: a second Ctrl-C, or one in any other command,
  // ends the process as usual.
  const interrupt = new AbortController();
  const onInterrupt = (): void => interrupt.abort();
  const io: CliIo = {
    tty: process.stderr.isTTY === true,
    progressLines: stderrLine,
    interrupts: () => {
      process.once('SIGINT', onInterrupt);
      return interrupt.signal;
    },
    unstepped: () => process.removeListener('SIGINT', onInterrupt),
  };
  try {
    const code = main(process.argv.slice(2), undefined, io);
    if (typeof code === 'number') process.exitCode = code;
    else code.then((c) => (process.exitCode = c), (e: unknown) => (process.exitCode = reportError(e))).finally(() => process.removeListener('SIGINT', onInterrupt));
  } catch (e) {
    process.exitCode = reportError(e);
  }
}
