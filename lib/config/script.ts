/**
 * A lab script: console commands at simulated times, run in one simulation, the way an engineer
 * works through a lab (look, change a line, look again) and FRR's topotests step through one.
 *
 *     # drain r4 towards r1
 *     @30s r1 vtysh -c "show ip route"
 *     @30s r4 vtysh -c "configure terminal" -c "router rip" -c "passive-interface eth1"
 *     @60s r1 vtysh -c "show ip route"
 *
 * Each line is `@<time> <node> <command>`; the command is what the node's console takes (vtysh -c
 * chains with `configure terminal`, IOS `conf t` … `end` over several lines, ping, show …). Lines run
 * in file order; times may repeat but not go back. `#` starts a comment line.
 */
import { readFileSync } from 'node:fs';
import { formatDuration, parseDuration, type SimTime } from '../sim/time';

export interface ScriptStep {
  at: SimTime;
  node: string;
  command: string;
  /** Where the step was written, for messages. */
  file: string;
  line: number;
}

export class ScriptError extends Error {}

/** Reads a script's text; `nodes`, when given, are the lab's node names (a step on another is refused). */
export function parseScript(text: string, file: string, nodes: readonly string[] | null = null): ScriptStep[] {
  const steps: ScriptStep[] = [];
  const problems: string[] = [];
  text.split(/\r\n|\n|\r/).forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const where = `${file}:${line}`;
    const m = /^@(\S+)\s+(\S+)\s+(.+)$/.exec(trimmed);
    if (m === null) {
      problems.push(`${where}: expected "@<time> <node> <command>" such as "@30s r1 vtysh -c \\"show ip route\\"", got "${trimmed}"`);
      return;
    }
    const at = parseDuration(m[1]!);
    if (!at.ok) {
      problems.push(`${where}: expected a time such as 30s or 5m after "@", got "@${m[1]}" (${at.error})`);
      return;
    }
    const last = steps.at(-1);
    if (last !== undefined && at.value < last.at) {
      problems.push(`${where}: @${m[1]} goes back in time (the line before runs at ${formatDuration(last.at)}); the lines run in one simulation, in order`);
      return;
    }
    if (nodes !== null && !nodes.includes(m[2]!)) {
      problems.push(`${where}: no node "${m[2]}" in the lab (nodes: ${nodes.join(', ')})`);
      return;
    }
    steps.push({ at: at.value, node: m[2]!, command: m[3]!, file, line });
  });
  if (problems.length > 0) throw new ScriptError(problems.join('\n'));
  if (steps.length === 0) throw new ScriptError(`${file}: no steps (expected lines "@<time> <node> <command>")`);
  return steps;
}

/** Reads a script file. */
export function loadScript(path: string, nodes: readonly string[] | null = null): ScriptStep[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ScriptError(`--script ${path}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseScript(text, path, nodes);
}

/**
 * A console command's words, as a shell would split them for the commands the consoles run: double
 * or single quotes keep a word's spaces (`vtysh -c "show ip route"`); no escapes.
 */
export function splitWords(command: string): string[] {
  const words: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(command)) !== null) words.push(m[1] ?? m[2] ?? m[3]!);
  return words;
}

/** The header a step's output is printed under. */
export function stepHeader(step: ScriptStep): string {
  return `=== @${formatDuration(step.at)} ${step.node}: ${step.command}`;
}
