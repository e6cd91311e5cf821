/**
 * Shell expansion as far as a script can be read without running it: `$VAR` and `${VAR}` from the
 * script's own assignments, field splitting of unquoted values, and here-document bodies. A command
 * substitution (`$(…)`, backquotes) is never run: its value is unknown.
 */
import type { HostScriptState } from './state';
import type { Redirect, Word } from './syntax';

export type Expanded = { ok: true; args: string[] } | { ok: false; unset: string[]; unknown: string[] };

export interface ExpandedWord {
  text: string;
  fields: string[];
  /** Variables the script never set. */
  unset: string[];
  /** Variables set by commands we do not run, and command substitutions. */
  unknown: string[];
}

export function expandWord(state: HostScriptState, w: Word, splitUnquoted: boolean): ExpandedWord {
  const unset: string[] = [];
  const unknown: string[] = [];
  const fields: string[] = [''];
  let anyQuoted = false;
  for (const part of w.parts) {
    if (part.quoted) anyQuoted = true;
    let value: string;
    if (part.kind === 'text') value = part.text;
    else if (part.kind === 'subst') {
      unknown.push(part.text);
      value = '';
    } else {
      const v = state.vars.get(part.name);
      if (v === undefined) {
        unset.push(part.name);
        value = '';
      } else if (v.value === null) {
        unknown.push(part.name);
        value = '';
      } else value = v.value;
      if (!part.quoted && splitUnquoted && /\s/.test(value)) {
        const pieces = value.split(/\s+/);
        fields[fields.length - 1] += pieces[0];
        for (const piece of pieces.slice(1)) fields.push(piece);
        continue;
      }
    }
    fields[fields.length - 1] += value;
  }
  const kept = fields.filter((f, i) => f !== '' || anyQuoted || i < fields.length - 1);
  return { text: fields.join(' '), fields: kept, unset, unknown };
}

/**
 * A command's words as arguments. `strict`: an unset variable fails too (the command runs); otherwise
 * only unknown values fail (a skipped branch is still checked, with unset variables as empty words).
 */
export function expand(state: HostScriptState, words: Word[], strict: boolean): Expanded {
  const args: string[] = [];
  const unset: string[] = [];
  const unknown: string[] = [];
  for (const w of words) {
    const e = expandWord(state, w, true);
    unset.push(...e.unset);
    unknown.push(...e.unknown);
    args.push(...e.fields);
  }
  if (strict && (unset.length > 0 || unknown.length > 0)) return { ok: false, unset, unknown };
  if (!strict && unknown.length > 0) return { ok: false, unset, unknown };
  return { ok: true, args };
}

export function isAssignment(w: Word): boolean {
  const p = w.parts[0];
  return p !== undefined && p.kind === 'text' && !p.quoted && /^[A-Za-z_][A-Za-z0-9_]*=/.test(p.text);
}

/** `NAME=value`: sets the variable, or marks it unknown when its value comes from a command. */
export function assign(state: HostScriptState, w: Word, lineNo: number, got: string): void {
  const p = w.parts[0] as { kind: 'text'; text: string; quoted: boolean };
  const eq = p.text.indexOf('=');
  const name = p.text.slice(0, eq);
  const valueWord: Word = { ...w, parts: [{ ...p, text: p.text.slice(eq + 1) }, ...w.parts.slice(1)].filter((x) => !(x.kind === 'text' && x.text === '')) };
  // The write-up's idiom: ETH1=$(dmesg | grep -i 'renamed from eth1' | sed …) names interface eth1.
  const subst = valueWord.parts.length === 1 && valueWord.parts[0]!.kind === 'subst' ? valueWord.parts[0]!.text : null;
  if (subst !== null && /\bdmesg\b/.test(subst)) {
    const m = /renamed from\s+([A-Za-z0-9_.-]+)/.exec(subst);
    if (m !== null) {
      state.vars.set(name, { value: m[1]!, line: lineNo });
      return;
    }
  }
  const expanded = expandWord(state, valueWord, true);
  if (expanded.unknown.length > 0 || expanded.unset.length > 0) {
    if (expanded.unknown.length > 0) {
      state.findings.add('unsupported', lineNo, `${got}: ${name} is set from a command the simulator does not run`);
    }
    state.vars.set(name, { value: expanded.unknown.length > 0 ? null : expanded.text, line: lineNo });
    return;
  }
  state.vars.set(name, { value: expanded.text, line: lineNo });
}

/** A here-document's body, expanded as bash would unless its delimiter was quoted. */
export function heredocText(state: HostScriptState, r: Redirect, lineNo: number, apply: boolean): string {
  const h = r.heredoc!;
  if (h.quoted) return h.body;
  let unsupportedNoted = false;
  return h.body.replace(/\\([$`\\])|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)|\$\(|`/g, (m, esc?: string, braced?: string, bare?: string) => {
    if (esc !== undefined) return esc;
    const name = braced ?? bare;
    if (name !== undefined) {
      const v = state.vars.get(name);
      if (v !== undefined && v.value !== null) return v.value;
      if (apply) state.findings.add('note', lineNo, `the here-document uses $${name}, which is not known here: written as an empty string, as bash would`);
      return '';
    }
    if (!unsupportedNoted && apply) {
      unsupportedNoted = true;
      state.findings.add('unsupported', lineNo, 'the here-document contains a command substitution; it is kept as written');
    }
    return m;
  });
}
