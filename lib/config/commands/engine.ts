/**
 * A small command-table engine for router configuration text, after FRR's CLI: each command is declared
 * by one syntax string, as FRR's DEFPY does (ripd/rip_cli.c:
 * `"timers basic (5-2147483647)$update (5-2147483647)$timeout (5-2147483647)$garbage"`), and the engine
 * matches a line's words against the declarations, reads the typed arguments, and reports the usage
 * written in the declaration when they do not fit. Help comes from the same declarations.
 *
 * Syntax of a declaration (FRR's, plus IOS's minimum abbreviations):
 *
 * - `shut(down)`: the keyword `shutdown`, accepted from its first 4 letters on (`shut`, `shutd`, …), in
 *   any case, as IOS accepts `no shut`. A keyword without parentheses must be typed whole.
 * - `(1-32)$paths`: a decimal integer in that range, read into `paths`.
 * - `A.B.C.D$address`, `A.B.C.D/M$prefix`, `H.H.H$mac` (IOS's `hhhh.hhhh.hhhh`), `IFNAME$name` (a Linux
 *   interface name, as FRR's `IFNAME`), `WORD$name` (any one word), `LINE...$text` (the rest of the line,
 *   one word or more; it ends a declaration).
 * - `<connected|static>$proto`: one of the alternatives (each a keyword or a typed argument).
 * - `[metric (0-16)$metric]`: an optional part; a keyword inside it is read under its own name.
 *
 * A line `no <command …>` is the command's negation; a command says whether it has one (`no`).
 *
 * FRR's grammar changes between releases: a command declares how older releases spelled it
 * (`frrHistory`), and a file is read with the grammar of the release it is read as. A line that only a
 * newer release accepts is an error saying which releases have it, not a line "not modelled".
 */
import { readCidr, readIpv4, readMac } from '../addr';
import { isLinuxInterfaceName, kw, readInt } from '../common';
import { compareFrrRelease, formatFrrRelease, howToSelect, type FrrRelease } from '../frr-version';
import type { SourceRef } from '../spec';

// ---------------------------------------------------------------------------------------------
// Declarations

/** The typed arguments, named as FRR's CLI names its tokens. */
const TYPES = {
  'A.B.C.D': readIpv4,
  'A.B.C.D/M': readCidr,
  'H.H.H': readMac,
  IFNAME: (w: string): string | null => (isLinuxInterfaceName(w) ? w : null),
  WORD: (w: string): string => w,
} as const;
type TypeName = keyof typeof TYPES;

/** One element of a declaration. */
export type Token =
  | { kind: 'keyword'; word: string; min: number; name: string | null }
  | { kind: 'range'; min: number; max: number; name: string | null }
  | { kind: 'typed'; type: TypeName; name: string | null }
  | { kind: 'rest'; name: string | null }
  | { kind: 'choice'; options: Token[]; name: string | null }
  | { kind: 'optional'; items: Token[] };

/** Reads a declaration into tokens. Throws on a malformed declaration (a programming error, not a user's). */
export function parseSyntax(syntax: string): Token[] {
  const parts = syntax.match(/[[\]<>|]|[^\s[\]<>|]+/g) ?? [];
  let at = 0;
  const fail = (why: string): never => {
    throw new Error(`command declaration "${syntax}": ${why}`);
  };
  const nameAfter = (): string | null => {
    const next = parts[at];
    if (next !== undefined && next.startsWith('$')) {
      at++;
      return next.slice(1);
    }
    return null;
  };
  const atom = (text: string): Token => {
    const [body, name = null] = text.split('$') as [string, string?];
    const range = /^\((\d+)-(\d+)\)$/.exec(body);
    if (range !== null) return { kind: 'range', min: Number(range[1]), max: Number(range[2]), name };
    if (body === 'LINE...') return { kind: 'rest', name };
    if (body in TYPES) return { kind: 'typed', type: body as TypeName, name };
    const abbreviated = /^([^()]+)\(([^()]+)\)$/.exec(body);
    if (abbreviated !== null) return { kind: 'keyword', word: (abbreviated[1]! + abbreviated[2]!).toLowerCase(), min: abbreviated[1]!.length, name };
    if (/[()$]/.test(body)) fail(`cannot read "${text}"`);
    return { kind: 'keyword', word: body.toLowerCase(), min: body.length, name };
  };
  const sequence = (end: string | null): Token[] => {
    const items: Token[] = [];
    for (;;) {
      const part = parts[at++];
      if (part === undefined) {
        if (end !== null) fail(`missing "${end}"`);
        return items;
      }
      if (part === end) return items;
      if (part === '[') items.push({ kind: 'optional', items: sequence(']') });
      else if (part === '<') {
        const options: Token[] = [];
        for (;;) {
          const option = parts[at++];
          if (option === undefined || '[]<>|'.includes(option)) fail('expected an alternative inside <…>');
          options.push(atom(option!));
          const sep = parts[at++];
          if (sep === '>') break;
          if (sep !== '|') fail('expected "|" or ">" inside <…>');
        }
        items.push({ kind: 'choice', options, name: nameAfter() });
      } else if ('[]<>|'.includes(part)) fail(`unexpected "${part}"`);
      else items.push(atom(part));
    }
  };
  return sequence(null);
}

/** How a command reads its `no` form. */
export type Negation =
  /** `no` + the same words and arguments (`no neighbor 10.0.0.2`). */
  | 'same'
  /** `no` + the selecting words, whatever follows (`no timers basic`, `no version`). */
  | 'bare'
  /** Only the `no` form exists. */
  | 'only';

export type Dialect = 'ios' | 'frr';

/**
 * How FRR releases older than `before` declared a command: `syntax`, or null when they did not have
 * it. `has` describes the older form in the error (`has "allow-ecmp" without a count`); `newForm`
 * names the newer form when its declaration reads poorly as usage (`allow-ecmp <1-MULTIPATH_NUM>`).
 */
export interface FrrHistoryEntry {
  before: FrrRelease;
  syntax: string | null;
  has?: string;
  newForm?: string;
}

/** One line of a file, split into words. */
export interface SourceLine {
  /** The line's words. */
  readonly words: readonly string[];
  lineNo: number;
  /** The line, quoted for messages. */
  got: string;
  src: SourceRef;
}

/** One parsed line, as a command's apply function sees it. */
export interface CommandLine extends SourceLine {
  /** The line starts with `no`. */
  negated: boolean;
  /** The words after `no`. */
  body: readonly string[];
  /** The words after the selecting keywords. */
  args: readonly string[];
  /** The arguments read by the declaration, by name (absent when an optional part was not given). */
  values: ReadonlyMap<string, unknown>;
}

export interface Command<S> {
  /** Per dialect when the two CLIs spell it differently (abbreviations, arguments). */
  syntax: string | { readonly [D in Dialect]?: string };
  /** A line of help; the usage is the syntax's. */
  help: string;
  /** How many leading keywords select the command; by default all leading keywords and choices. */
  select?: number;
  no?: Negation;
  /**
   * What the error says when the words after the selecting ones do not fit (`, got "<line>"` follows);
   * by default `expected "<usage>"`.
   */
  expected?: string | { readonly [D in Dialect]?: string };
  /**
   * When the words after the selecting ones do not fit, the line is not this command and the next
   * one is tried. The default for a command of keywords only (`shutdown`, `ip routing`).
   */
  fallThrough?: boolean;
  /** The arguments are read by `apply` itself (its messages depend on which part is wrong); the syntax is help. */
  raw?: boolean;
  /**
   * Runs once the line is known to be this command, before its arguments are applied; returns true
   * when it dealt with the line itself (FRR: a command of another daemon's file).
   */
  guard?: (state: S, line: CommandLine) => boolean;
  /** FRR: the command's older declarations, oldest `before` first (the `syntax` above is the newest). */
  frrHistory?: readonly FrrHistoryEntry[];
  apply(state: S, line: CommandLine): void;
}

/** A table: the commands of one configuration mode, tried in order. */
export interface Table<S> {
  /** The mode's name, as the CLI's prompt shows it (`config-router`). */
  mode: string;
  commands: readonly Command<S>[];
}

interface Compiled<S> {
  command: Command<S>;
  tokens: Token[];
  expected: string;
  select: number;
  fallThrough: boolean;
  /** The older releases' declarations (compiled; null: the release did not have the command). */
  history: { entry: FrrHistoryEntry; compiled: Compiled<S> | null }[];
}

const compiled = new WeakMap<object, Map<Dialect | 'any', Compiled<unknown>[]>>();

/** A dialect's text of a per-dialect field; without a dialect (help over both), the first given. */
function forDialect(field: string | { readonly [D in Dialect]?: string } | undefined, dialect: Dialect | null): string | null {
  if (field === undefined) return null;
  if (typeof field === 'string') return field;
  if (dialect === null) return field.ios ?? field.frr ?? null;
  return field[dialect] ?? null;
}

function compile<S>(table: Table<S>, dialect: Dialect | null): Compiled<S>[] {
  let byDialect = compiled.get(table);
  if (byDialect === undefined) {
    byDialect = new Map();
    compiled.set(table, byDialect);
  }
  const key = dialect ?? 'any';
  let list = byDialect.get(key) as Compiled<S>[] | undefined;
  if (list === undefined) {
    list = [];
    for (const command of table.commands) {
      const syntax = forDialect(command.syntax, dialect);
      if (syntax === null) continue;
      const c = compileOne(command, syntax, dialect);
      if (dialect === 'frr') {
        for (const entry of command.frrHistory ?? []) {
          // An older form refuses what does not fit it as the newest form would (no falling through).
          const older = entry.syntax === null ? null : { ...compileOne(command, entry.syntax, dialect), fallThrough: c.fallThrough };
          c.history.push({ entry, compiled: older });
        }
      }
      list.push(c);
    }
    byDialect.set(key, list as Compiled<unknown>[]);
  }
  return list;
}

function compileOne<S>(command: Command<S>, syntax: string, dialect: Dialect | null): Compiled<S> {
  const tokens = parseSyntax(syntax);
  let leading = 0;
  while (leading < tokens.length && (tokens[leading]!.kind === 'keyword' || tokens[leading]!.kind === 'choice')) leading++;
  const select = command.select ?? leading;
  const expected = forDialect(command.expected, dialect) ?? `expected "${usage(tokens)}"`;
  return { command, tokens, expected, select, fallThrough: command.fallThrough ?? select === tokens.length, history: [] };
}

// ---------------------------------------------------------------------------------------------
// Matching

type Values = Map<string, unknown>;

/** The value of one word for a token that reads one word, or undefined when it does not fit. */
function oneWord(token: Token, word: string): unknown {
  switch (token.kind) {
    case 'keyword':
      return kw(word, token.word, token.min) ? token.word : undefined;
    case 'range': {
      const n = readInt(word, token.min, token.max);
      return n === null ? undefined : n;
    }
    case 'typed': {
      const v = TYPES[token.type](word);
      return v === null ? undefined : v;
    }
    case 'choice':
      for (const option of token.options) {
        const v = oneWord(option, word);
        if (v !== undefined) return v;
      }
      return undefined;
    default:
      return undefined;
  }
}

function nameOf(token: Token): string | null {
  return token.kind === 'keyword' ? (token.name ?? token.word) : token.kind === 'optional' ? null : token.name;
}

/** Matches `words[from…]` against `tokens` to the end of both; fills `values`. */
function matchAll(tokens: readonly Token[], words: readonly string[], from: number, values: Values): boolean {
  if (tokens.length === 0) return from === words.length;
  const [token, ...rest] = tokens as [Token, ...Token[]];
  if (token.kind === 'optional') {
    const tried = new Map(values);
    if (matchAll([...token.items, ...rest], words, from, tried)) {
      for (const [k, v] of tried) values.set(k, v);
      return true;
    }
    return matchAll(rest, words, from, values);
  }
  if (token.kind === 'rest') {
    if (from >= words.length) return false;
    if (token.name !== null) values.set(token.name, words.slice(from).join(' '));
    return true;
  }
  const word = words[from];
  if (word === undefined) return false;
  const v = oneWord(token, word);
  if (v === undefined) return false;
  const name = nameOf(token);
  if (name !== null) values.set(name, v);
  return matchAll(rest, words, from + 1, values);
}

/** Whether the line starts with `no` (IOS and FRR: the word itself, in any case). */
export function isNegated(words: readonly string[]): boolean {
  return kw(words[0], 'no', 2);
}

/**
 * Runs the first command of `table` that the line is, and returns true; false when the line is none
 * of them (the caller tries another mode's table or reports the line as not modelled). `release`: the
 * FRR release the file is read as (null: the newest declarations).
 */
export function runCommand<S>(
  table: Table<S>,
  dialect: Dialect | null,
  state: S,
  line: SourceLine,
  error: (lineNo: number, message: string) => void,
  release: FrrRelease | null = null,
): boolean {
  const negated = isNegated(line.words);
  const body = negated ? line.words.slice(1) : line.words;
  for (const newest of compile(table, dialect)) {
    const no = newest.command.no;
    if (negated ? no === undefined : no === 'only') continue;
    const older = release === null ? undefined : newest.history.find((h) => compareFrrRelease(release, h.entry.before) < 0);
    const c = older === undefined ? newest : older.compiled;
    // A line only a newer release reads: say which releases have it.
    const newerOnly = (): boolean => {
      if (older === undefined || !fullMatch(newest, body)) return false;
      error(line.lineNo, releaseMessage(line.got, release!, older.entry, newest));
      return true;
    };
    if (c === null) {
      if (newerOnly()) return true;
      continue;
    }
    const selecting = new Map<string, unknown>();
    if (!matchSelecting(c.tokens, c.select, body, selecting)) {
      if (newerOnly()) return true;
      continue;
    }
    const args = body.slice(c.select);
    const cl: CommandLine = { ...line, negated, body, args, values: selecting };
    if (c.command.raw === true || (negated && no === 'bare')) {
      if (c.command.guard?.(state, cl) !== true) c.command.apply(state, cl);
      return true;
    }
    const values = new Map(selecting);
    if (!matchAll(c.tokens.slice(c.select), body, c.select, values)) {
      if (newerOnly()) return true;
      if (c.fallThrough) continue;
      if (c.command.guard?.(state, cl) === true) return true;
      error(line.lineNo, `${c.expected}, got ${line.got}`);
      return true;
    }
    const matched: CommandLine = { ...cl, values };
    if (c.command.guard?.(state, matched) !== true) c.command.apply(state, matched);
    return true;
  }
  return false;
}

function fullMatch<S>(c: Compiled<S>, body: readonly string[]): boolean {
  const values = new Map<string, unknown>();
  return matchSelecting(c.tokens, c.select, body, values) && matchAll(c.tokens.slice(c.select), body, c.select, values);
}

/** `"allow-ecmp 2": FRR 8.4 has "allow-ecmp" without a count; "allow-ecmp <1-…>" is FRR 9.0 and later (…)`. */
function releaseMessage<S>(got: string, release: FrrRelease, entry: FrrHistoryEntry, newest: Compiled<S>): string {
  const form = entry.newForm ?? usage(newest.tokens);
  const since = `FRR ${formatFrrRelease(entry.before)} and later`;
  const has = entry.has ?? (entry.syntax === null ? 'does not have it' : `has "${usage(parseSyntax(entry.syntax))}"`);
  return `${got}: FRR ${formatFrrRelease(release)} ${has}; "${form}" is ${since} (${howToSelect(entry.before)})`;
}

function matchSelecting(tokens: readonly Token[], select: number, words: readonly string[], values: Values): boolean {
  for (let i = 0; i < select; i++) {
    const token = tokens[i]!;
    const v = words[i] === undefined ? undefined : oneWord(token, words[i]!);
    if (v === undefined) return false;
    const name = nameOf(token);
    if (name !== null) values.set(name, v);
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Help

/** A declaration as help shows it: `redistribute connected|static [metric <0-16>]`. */
export function usage(tokens: readonly Token[]): string {
  const one = (t: Token): string => {
    switch (t.kind) {
      case 'keyword':
        return t.word;
      case 'range':
        return `<${t.min}-${t.max}>`;
      case 'typed':
        return `<${t.name ?? t.type.toLowerCase()}>`;
      case 'rest':
        return `<${t.name ?? 'text'}...>`;
      case 'choice':
        return t.options.map(one).join('|');
      case 'optional':
        return `[${usage(t.items)}]`;
    }
  };
  return tokens.map(one).join(' ');
}

/** One line per command of a mode: its usage, the shortest form the CLI accepts, and its help. */
export function helpOf<S>(table: Table<S>, dialect: Dialect | null): string[] {
  return compile(table, dialect).map((c) => {
    const shortestOf = (t: Token): string =>
      t.kind === 'keyword' ? t.word.slice(0, t.min) : t.kind === 'choice' ? t.options.map(shortestOf).join('|') : usage([t]);
    const shortest = c.tokens.slice(0, c.select).map(shortestOf).join(' ');
    return `${usage(c.tokens)}  (${shortest})  ${c.command.help}`;
  });
}

/** A value read by the declaration, typed as the declaration's token reads it. */
export function valueOf<T>(line: CommandLine, name: string): T {
  return line.values.get(name) as T;
}
