/**
 * The shell's control structures as a setup script uses them: `if [ -f PATH ] ; then … [else …] fi`,
 * decided from what exists on the device (bound lab files, files the script wrote, lab options as
 * /vagrant/NAME); loops and `case` are read but their bodies skipped.
 */
import { expand } from './expand';
import type { HostScriptState } from './state';
import type { SimpleCommand, Statement, Word } from './syntax';

/** Reads a command again without its first word (`then cmd`, `else cmd`, `do cmd`). */
export type Rerun = (command: SimpleCommand, statement: Statement) => void;

/**
 * Handles `if`, `then`, `else`, `elif`, `fi`, the loop and `case` keywords, `done`, `esac` and `do`;
 * false when `first` is none of them.
 */
export function controlStructure(state: HostScriptState, first: string | null, c: SimpleCommand, statement: Statement, got: string, rerun: Rerun): boolean {
  const lineNo = statement.line;
  const frames = state.frames;
  switch (first) {
    case 'if': {
      const wasActive = state.active();
      const cond = wasActive ? evaluateCondition(state, c.words.slice(1), lineNo, got) : false;
      frames.push({ kind: 'if', line: lineNo, branchTrue: cond, condition: cond, seenThen: false, inElse: false });
      state.record(statement, wasActive ? 'modelled' : 'skipped');
      return true;
    }
    case 'then':
    case 'else': {
      const top = frames[frames.length - 1];
      if (top === undefined || top.kind !== 'if' || (first === 'then' && top.seenThen) || (first === 'else' && (!top.seenThen || top.inElse))) {
        state.problems.add(lineNo, `"${first}" without a matching "if"`);
        return true;
      }
      if (first === 'then') top.seenThen = true;
      else {
        top.inElse = true;
        top.branchTrue = !top.condition;
      }
      if (c.words.length > 1 || c.redirects.length > 0) {
        rerun({ ...c, words: c.words.slice(1) }, { ...statement, text: statement.text.replace(/^\s*(then|else)\s+/, '') });
      }
      return true;
    }
    case 'elif':
      state.problems.add(lineNo, `expected "if [ -f <path> ] ; then … [else …] fi": "elif" is not supported, got ${got}`);
      return true;
    case 'fi': {
      const top = frames[frames.length - 1];
      if (top === undefined || top.kind !== 'if') state.problems.add(lineNo, '"fi" without a matching "if"');
      else {
        if (!top.seenThen) state.problems.add(top.line, 'expected "then" after the condition of this "if"');
        frames.pop();
      }
      if (c.words.length > 1) state.problems.add(lineNo, `expected "fi" alone, got ${got}`);
      return true;
    }
    case 'while':
    case 'until':
    case 'for':
    case 'case':
    case 'select':
      if (state.active()) state.findings.add('unsupported', lineNo, `${got}: loops and case statements are not modelled; their body is skipped`);
      frames.push({ kind: 'loop', line: lineNo, branchTrue: false, condition: false, seenThen: true, inElse: false });
      state.record(statement, 'unsupported');
      return true;
    case 'done':
    case 'esac': {
      const top = frames[frames.length - 1];
      if (top === undefined || top.kind !== 'loop') state.problems.add(lineNo, `"${first}" without a matching loop`);
      else frames.pop();
      return true;
    }
    case 'do':
      if (c.words.length > 1) rerun({ ...c, words: c.words.slice(1) }, statement);
      return true;
    default:
      return false;
  }
}

/** The frames still open at the end of the script. */
export function reportUnclosed(state: HostScriptState): void {
  for (const f of state.frames) {
    state.problems.add(f.line, f.kind === 'if' ? 'this "if" is never closed by "fi"' : 'this loop is never closed by "done"/"esac"');
  }
}

/** `[ -f PATH ]`, `[ -z WORD ]`, `[ a = b ]` (and `!`, `test`, `[[ ]]`); any other condition is false, with a finding. */
function evaluateCondition(state: HostScriptState, words: Word[], lineNo: number, got: string): boolean {
  const e = expand(state, words, false);
  if (!e.ok) {
    state.findings.add('unsupported', lineNo, `${got}: the condition uses a value the simulator cannot know; taken as false`);
    return false;
  }
  let args = e.args;
  if ((args[0] === '[' && args[args.length - 1] === ']') || (args[0] === '[[' && args[args.length - 1] === ']]')) args = args.slice(1, -1);
  else if (args[0] === 'test') args = args.slice(1);
  else {
    state.findings.add('unsupported', lineNo, `${got}: only "[ -f <path> ]"-style conditions are modelled; taken as false`);
    return false;
  }
  let negate = false;
  if (args[0] === '!') {
    negate = true;
    args = args.slice(1);
  }
  let result: boolean | null = null;
  if (args.length === 2 && (args[0] === '-f' || args[0] === '-e' || args[0] === '-r' || args[0] === '-s')) {
    result = state.fileExists(state.resolvePath(args[1]!));
  } else if (args.length === 2 && (args[0] === '-z' || args[0] === '-n')) {
    result = args[0] === '-z' ? args[1] === '' : args[1] !== '';
  } else if (args.length === 3 && (args[1] === '=' || args[1] === '==' || args[1] === '!=')) {
    result = (args[0] === args[2]) === (args[1] !== '!=');
  }
  if (result === null) {
    state.findings.add('unsupported', lineNo, `${got}: only "[ -f <path> ]", "[ -z … ]" and "[ a = b ]" conditions are modelled; taken as false`);
    return false;
  }
  return negate ? !result : result;
}
