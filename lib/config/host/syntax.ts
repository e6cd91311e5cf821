/**
 * What the shell lexer (lexer.ts) makes of a setup script: statements of simple commands, each a list
 * of words (with their quoting and expansions kept apart) and redirections (with here-document bodies).
 */

export type WordPart =
  | { kind: 'text'; text: string; quoted: boolean }
  | { kind: 'var'; name: string; quoted: boolean }
  /** `$(…)`, backquotes, `${…}` with operators, `$((…))`: kept as text, never run. */
  | { kind: 'subst'; text: string; quoted: boolean };

export interface Word {
  parts: WordPart[];
  /** The word as written. */
  raw: string;
  line: number;
  column: number;
}

export interface Heredoc {
  delimiter: string;
  /** `<<'EOF'` or `<<"EOF"`: no expansion in the body. */
  quoted: boolean;
  /** `<<-EOF`: leading tabs stripped. */
  stripTabs: boolean;
  body: string;
  /** Line of the body's first line. */
  bodyLine: number;
}

export interface Redirect {
  /** `>`, `>>`, `<`, `<<`, `<<-`, `<<<`, `>&`, `<&`, `&>`, `>|`. */
  op: string;
  fd: number | null;
  target: Word | null;
  heredoc: Heredoc | null;
  line: number;
  column: number;
}

export interface SimpleCommand {
  words: Word[];
  redirects: Redirect[];
  line: number;
  column: number;
}

/** Commands joined by `|`, `&&`, `||` up to a `;`, `&` or end of line. */
export interface Statement {
  commands: SimpleCommand[];
  connectors: ('|' | '&&' | '||')[];
  background: boolean;
  line: number;
  /** The statement's source text (without here-document bodies). */
  text: string;
}

export interface LexProblem {
  line: number;
  column: number;
  message: string;
}
