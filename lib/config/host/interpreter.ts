/**
 * The setup script read statement by statement, as bash would run it: control structures
 * (control.ts), assignments and expansion (expand.ts), then each command handed to its tool
 * (tools/index.ts) with the script's state.
 */
import { quote } from '../errors';
import { controlStructure, reportUnclosed } from './control';
import { assign, expand, isAssignment } from './expand';
import { lexShell } from './lexer';
import { baseName, HostScriptState, type HostScriptConfig, type HostScriptOptions } from './state';
import type { SimpleCommand, Statement } from './syntax';
import { execute, HARMLESS } from './tools';

/** Reads a host setup script. Throws LabFileError listing every error. */
export function parseHostScript(text: string, file: string, options: HostScriptOptions = {}): HostScriptConfig {
  const state = new HostScriptState(file, options);
  const lexed = lexShell(text);
  for (const p of lexed.problems) state.problems.add(p.line, p.message, p.column);
  for (const statement of lexed.statements) runStatement(state, statement);
  reportUnclosed(state);
  state.problems.throwIfAny();
  return state.result();
}

/** Commands that may sit in a pipeline or list without changing the device (they only print there). */
const LOOKS_IN_PIPELINE = new Set(['ifconfig', 'route', 'ip', 'ping']);

function runStatement(state: HostScriptState, statement: Statement): void {
  if (statement.commands.length > 1 || statement.background) {
    // Pipelines and lists: fine when every part only looks; otherwise not modelled.
    const kinds = statement.commands.map((c) => literalName(c));
    if (!state.active()) {
      state.record(statement, 'skipped');
      return;
    }
    if (kinds.every((k) => k !== null && (HARMLESS.has(k) || LOOKS_IN_PIPELINE.has(k)))) {
      state.record(statement, 'harmless');
      return;
    }
    state.findings.add('unsupported', statement.line, `${quote(statement.text)}: pipelines, "&&", "||" and "&" are not modelled`);
    state.record(statement, 'unsupported');
    return;
  }
  runCommand(state, statement.commands[0]!, statement);
}

/** The command's name when it is plain text (no expansions). */
function literalName(c: SimpleCommand): string | null {
  const w = c.words[0];
  if (w === undefined || w.parts.some((p) => p.kind !== 'text')) return null;
  return w.parts.map((p) => (p.kind === 'text' ? p.text : '')).join('');
}

function runCommand(state: HostScriptState, c: SimpleCommand, statement: Statement): void {
  const first = literalName(c);
  const got = quote(statement.text);
  const lineNo = statement.line;
  if (controlStructure(state, first, c, statement, got, (cc, s) => runCommand(state, cc, s))) return;
  const top = state.frames[state.frames.length - 1];
  if (top !== undefined && top.kind === 'if' && !top.seenThen) {
    state.problems.add(top.line, `expected "then" after the condition of this "if", got ${got} on line ${lineNo}`);
    top.seenThen = true;
  }

  // Assignments: `VAR=value`, `export VAR=value`.
  const words = first === 'export' || first === 'local' || first === 'readonly' ? c.words.slice(1) : c.words;
  if (words.length > 0 && words.every(isAssignment)) {
    if (state.active()) for (const w of words) assign(state, w, lineNo, got);
    state.record(statement, state.active() ? 'modelled' : 'skipped');
    return;
  }
  if (c.words.length === 0) {
    // Only redirections (`> file`): truncates a file.
    state.record(statement, state.active() ? 'unsupported' : 'skipped');
    if (state.active()) state.findings.add('unsupported', lineNo, `${got}: a redirection without a command is not modelled`);
    return;
  }
  const commandWords = words.length > 0 && isAssignment(words[0]!) ? words.filter((w) => !isAssignment(w)) : c.words;
  if (commandWords.length === 0) return;
  if (!state.active()) {
    // Still check the arguments the real command would reject, so a lab is wrong in one way only.
    const expanded = expand(state, commandWords, false);
    if (expanded.ok) execute(state, expanded.args, c, statement, false);
    state.record(statement, 'skipped');
    return;
  }
  const expanded = expand(state, commandWords, true);
  if (!expanded.ok) {
    if (expanded.unset.length > 0) {
      state.problems.add(lineNo, `${got} uses ${expanded.unset.map((n) => '$' + n).join(', ')}, which the script never sets (bash would run it with an empty word)`);
    } else {
      const name = literalName(c);
      if (name !== null && HARMLESS.has(baseName(name))) {
        state.record(statement, 'harmless');
        return;
      }
      state.findings.add(
        'unsupported',
        lineNo,
        `${got} uses ${expanded.unknown.map((n) => (n.startsWith('$(') || n.startsWith('`') || n.startsWith('${') ? n : '$' + n)).join(', ')}, whose value comes from a command the simulator does not run`,
      );
    }
    state.record(statement, 'unsupported');
    return;
  }
  state.record(statement, execute(state, expanded.args, c, statement, true));
}
