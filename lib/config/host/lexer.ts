/**
 * A small lexer for the shell setup scripts in labs: words with single and double quotes, `\` escapes
 * and line continuations, `$VAR`, `${VAR}`, `$(…)` and backquotes, comments, `;`, pipes and `&&`/`||`,
 * redirections, and here-documents (`<<EOF`, `<<'EOF'`, `<<-EOF`). It does not run anything: the
 * interpreter (interpreter.ts) reads the statements it produces.
 */
import type { LexProblem, Redirect, SimpleCommand, Statement, Word, WordPart } from './syntax';

export type { Heredoc, LexProblem, Redirect, SimpleCommand, Statement, Word, WordPart } from './syntax';

const META = new Set([' ', '\t', '\r', '\n', ';', '&', '|', '<', '>', '(', ')']);

/** A redirection operator, with an optional file descriptor number before it. */
const REDIRECT = /^(\d*)(<<<|<<-|<<|>>|>&|<&|>\||&>|>|<)/;

export function lexShell(src: string): { statements: Statement[]; problems: LexProblem[] } {
  const lexer = new ShellLexer(src);
  lexer.run();
  return { statements: lexer.statements, problems: lexer.problems };
}

/** The lexer's position in the text and the statement it is building. */
class ShellLexer {
  readonly statements: Statement[] = [];
  readonly problems: LexProblem[] = [];
  private pos = 0;
  private line = 1;
  private col = 1;
  /** After a problem that leaves the rest of the text unreadable (an unclosed quote). */
  private fatal = false;

  private stmt: Statement | null = null;
  private stmtStart = 0;
  private stmtEnd = 0;
  private cmd: SimpleCommand | null = null;
  private pendingHeredocs: Redirect[] = [];
  private expectDelimiter: Redirect | null = null;
  private expectTarget: Redirect | null = null;

  constructor(private readonly src: string) {}

  run(): void {
    while (this.pos < this.src.length && !this.fatal) {
      if (this.separator() || this.redirection()) continue;
      this.word();
    }
    if (!this.fatal) {
      this.stmtEnd = this.pos;
      this.endStatement();
      if (this.pendingHeredocs.length > 0) this.readHeredocBodies();
    }
  }

  private peek(k = 0): string | undefined {
    return this.src[this.pos + k];
  }

  private next(): string {
    const c = this.src[this.pos++]!;
    if (c === '\n') {
      this.line++;
      this.col = 1;
    } else this.col++;
    return c;
  }

  private fail(line: number, column: number, message: string): void {
    this.problems.push({ line, column, message });
    this.fatal = true;
  }

  /** Newlines, blanks, continuations, comments, `;`, `&`, `&&`, `|`, `||`: true when one was read. */
  private separator(): boolean {
    const c = this.peek()!;
    if (c === '\n') {
      this.next();
      this.endStatement();
      if (this.pendingHeredocs.length > 0) this.readHeredocBodies();
      return true;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      this.next();
      return true;
    }
    if (c === '\\' && this.peek(1) === '\n') {
      this.next();
      this.next();
      return true;
    }
    if (c === '#') {
      while (this.pos < this.src.length && this.peek() !== '\n') this.next();
      return true;
    }
    if (c === ';') {
      this.stmtEnd = this.pos;
      this.next();
      if (this.peek() === ';') {
        this.problems.push({ line: this.line, column: this.col - 1, message: '";;" outside a case statement' });
        this.next();
      }
      this.endStatement();
      return true;
    }
    if (c === '&' && this.peek(1) !== '>') {
      this.stmtEnd = this.pos;
      this.next();
      if (this.peek() === '&') {
        this.next();
        if (this.stmt !== null) this.stmt.connectors.push('&&');
        this.cmd = null;
        return true;
      }
      this.endStatement(true);
      return true;
    }
    if (c === '|') {
      this.next();
      const connector: '|' | '||' = this.peek() === '|' ? '||' : '|';
      if (connector === '||' || this.peek() === '&') this.next();
      if (this.stmt !== null) this.stmt.connectors.push(connector);
      else this.problems.push({ line: this.line, column: this.col - 1, message: `"${connector}" with no command before it` });
      this.cmd = null;
      return true;
    }
    return false;
  }

  /** A redirection operator (its target is the next word); true when one was read. */
  private redirection(): boolean {
    const redirect = REDIRECT.exec(this.src.slice(this.pos, this.pos + 8));
    if (redirect === null || (redirect[1] !== '' && !/[<>]/.test(redirect[2]!))) return false;
    const command = this.ensureCommand();
    const r: Redirect = {
      op: redirect[2]!,
      fd: redirect[1] === '' ? null : Number(redirect[1]),
      target: null,
      heredoc: null,
      line: this.line,
      column: this.col,
    };
    for (let i = 0; i < redirect[0].length; i++) this.next();
    command.redirects.push(r);
    if (r.op === '<<' || r.op === '<<-') this.expectDelimiter = r;
    else this.expectTarget = r;
    this.stmtEnd = this.pos;
    return true;
  }

  /** `(`, `)`, or a word: a command's word, a redirection's target, or a here-document's delimiter. */
  private word(): void {
    const c = this.peek()!;
    if (c === '(' || c === ')') {
      const command = this.ensureCommand();
      command.words.push({ parts: [{ kind: 'text', text: c, quoted: false }], raw: c, line: this.line, column: this.col });
      this.next();
      this.stmtEnd = this.pos;
      return;
    }
    const command = this.ensureCommand();
    const before = this.pos;
    const word = this.readWord();
    if (this.pos === before && !this.fatal) {
      // Never stall on a character the rules above do not cover: take it as text.
      word.parts.push({ kind: 'text', text: this.next(), quoted: false });
    }
    this.stmtEnd = this.pos;
    if (this.expectDelimiter !== null) {
      const r: Redirect = this.expectDelimiter;
      const delimiter = word.parts.map((p) => (p.kind === 'text' ? p.text : p.kind === 'var' ? '$' + p.name : p.text)).join('');
      r.heredoc = {
        delimiter,
        quoted: word.parts.some((p) => p.quoted),
        stripTabs: r.op === '<<-',
        body: '',
        bodyLine: this.line + 1,
      };
      r.target = word;
      this.pendingHeredocs.push(r);
      this.expectDelimiter = null;
    } else if (this.expectTarget !== null) {
      this.expectTarget.target = word;
      this.expectTarget = null;
    } else {
      command.words.push(word);
    }
  }

  private ensureCommand(): SimpleCommand {
    if (this.stmt === null) {
      this.stmt = { commands: [], connectors: [], background: false, line: this.line, text: '' };
      this.stmtStart = this.pos;
    }
    if (this.cmd === null) {
      this.cmd = { words: [], redirects: [], line: this.line, column: this.col };
      this.stmt.commands.push(this.cmd);
    }
    return this.cmd;
  }

  private endStatement(background = false): void {
    if (this.expectDelimiter !== null || this.expectTarget !== null) {
      const r = (this.expectDelimiter ?? this.expectTarget)!;
      this.problems.push({ line: r.line, column: r.column, message: `expected a word after "${r.op}"` });
      this.expectDelimiter = null;
      this.expectTarget = null;
    }
    if (this.stmt !== null) {
      const s: Statement = this.stmt;
      s.background = background;
      s.text = this.src.slice(this.stmtStart, this.stmtEnd).trim();
      // A trailing connector (`a &&` at end of line) continues on the next line in bash; we keep it simple.
      const last = s.commands[s.commands.length - 1];
      if (last !== undefined && last.words.length === 0 && last.redirects.length === 0) {
        s.commands.pop();
        if (s.connectors.length > 0) s.connectors.pop();
      }
      if (s.commands.length > 0) this.statements.push(s);
    }
    this.stmt = null;
    this.cmd = null;
  }

  private readHeredocBodies(): void {
    const src = this.src;
    for (const r of this.pendingHeredocs) {
      const h = r.heredoc!;
      h.bodyLine = this.line;
      let body = '';
      let closed = false;
      while (this.pos < src.length) {
        const nl = src.indexOf('\n', this.pos);
        const end = nl < 0 ? src.length : nl;
        let text = src.slice(this.pos, end);
        if (text.endsWith('\r')) text = text.slice(0, -1);
        if (h.stripTabs) text = text.replace(/^\t+/, '');
        this.pos = nl < 0 ? src.length : nl + 1;
        this.line++;
        this.col = 1;
        if (text === h.delimiter) {
          closed = true;
          break;
        }
        body += text + '\n';
      }
      h.body = body;
      if (!closed) {
        this.problems.push({
          line: r.line,
          column: r.column,
          message: `the here-document started here ("${r.op}${h.delimiter}") is not closed by a line "${h.delimiter}"`,
        });
        this.fatal = true;
      }
    }
    this.pendingHeredocs = [];
  }

  // --- words ------------------------------------------------------------------------------------

  private readWord(): Word {
    const word: Word = { parts: [], raw: '', line: this.line, column: this.col };
    const raw = { s: '' };
    while (this.pos < this.src.length && !this.fatal) {
      const c = this.peek()!;
      if (META.has(c)) break;
      if (c === "'") this.readSingleQuoted(word, raw);
      else if (c === '"') this.readDoubleQuoted(word, raw);
      else if (c === '\\') {
        this.next();
        if (this.pos >= this.src.length) break;
        if (this.peek() === '\n') {
          this.next();
          continue;
        }
        const e = this.next();
        addText(word, e, true);
        raw.s += '\\' + e;
      } else if (c === '$') this.readDollar(word.parts, false, raw);
      else if (c === '`') this.readBackquote(word.parts, false, raw);
      else {
        addText(word, this.next(), false);
        raw.s += c;
      }
    }
    word.raw = raw.s;
    return word;
  }

  private readSingleQuoted(word: Word, raw: { s: string }): void {
    const l = this.line;
    const cc = this.col;
    const start = this.pos;
    this.next();
    const close = this.src.indexOf("'", this.pos);
    if (close < 0) {
      this.fail(l, cc, 'the single quote opened here is never closed');
      this.pos = this.src.length;
      return;
    }
    let text = '';
    while (this.pos < close) text += this.next();
    this.next();
    addText(word, text, true);
    raw.s += this.src.slice(start, this.pos);
  }

  private readDoubleQuoted(word: Word, raw: { s: string }): void {
    const l = this.line;
    const cc = this.col;
    const start = this.pos;
    this.next();
    let closed = false;
    let text = '';
    const flush = (): void => {
      if (text !== '') addText(word, text, true);
      text = '';
    };
    while (this.pos < this.src.length && !this.fatal) {
      const d = this.peek()!;
      if (d === '"') {
        this.next();
        closed = true;
        break;
      }
      if (d === '\\') {
        this.next();
        const e = this.peek();
        if (e === undefined) break;
        if (e === '\n') this.next();
        else if ('$`"\\'.includes(e)) text += this.next();
        else text += '\\';
        continue;
      }
      if (d === '$') {
        flush();
        this.readDollar(word.parts, true, { s: '' });
        continue;
      }
      if (d === '`') {
        flush();
        this.readBackquote(word.parts, true, { s: '' });
        continue;
      }
      text += this.next();
    }
    flush();
    if (!closed && !this.fatal) this.fail(l, cc, 'the double quote opened here is never closed');
    raw.s += this.src.slice(start, this.pos);
  }

  /** Reads up to the `)` closing a `$(`; returns the text inside. */
  private readBalanced(startLine: number, startCol: number, what: string): string {
    const src = this.src;
    let depth = 1;
    let text = '';
    while (this.pos < src.length) {
      const c = this.next();
      if (c === "'") {
        const close = src.indexOf("'", this.pos);
        if (close < 0) break;
        text += c;
        while (this.pos <= close) text += this.next();
        continue;
      }
      if (c === '\\' && this.pos < src.length) {
        text += c + this.next();
        continue;
      }
      if (c === '(') depth++;
      if (c === ')') {
        depth--;
        if (depth === 0) return text;
      }
      text += c;
    }
    this.fail(startLine, startCol, `"${what}" opened here is never closed`);
    return text;
  }

  private readDollar(parts: WordPart[], quoted: boolean, raw: { s: string }): void {
    const src = this.src;
    const startLine = this.line;
    const startCol = this.col;
    const startPos = this.pos;
    this.next(); // $
    const c = this.peek();
    if (c === '{') {
      this.next();
      const close = src.indexOf('}', this.pos);
      if (close < 0) {
        this.fail(startLine, startCol, '"${" opened here is never closed');
        this.pos = src.length;
        return;
      }
      let inner = '';
      while (this.pos < close) inner += this.next();
      this.next();
      if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(inner)) parts.push({ kind: 'var', name: inner, quoted });
      else parts.push({ kind: 'subst', text: '${' + inner + '}', quoted });
    } else if (c === '(') {
      this.next();
      const inner = this.readBalanced(startLine, startCol, '$(');
      parts.push({ kind: 'subst', text: '$(' + inner + ')', quoted });
    } else if (c !== undefined && /[A-Za-z_]/.test(c)) {
      let name = '';
      while (this.pos < src.length && /[A-Za-z0-9_]/.test(this.peek()!)) name += this.next();
      parts.push({ kind: 'var', name, quoted });
    } else if (c !== undefined && /[0-9?#$!@*-]/.test(c)) {
      parts.push({ kind: 'var', name: this.next(), quoted });
    } else {
      parts.push({ kind: 'text', text: '$', quoted });
    }
    raw.s += src.slice(startPos, this.pos);
  }

  private readBackquote(parts: WordPart[], quoted: boolean, raw: { s: string }): void {
    const startLine = this.line;
    const startCol = this.col;
    const startPos = this.pos;
    this.next();
    let inner = '';
    while (this.pos < this.src.length && this.peek() !== '`') {
      const c = this.next();
      inner += c === '\\' && this.pos < this.src.length ? this.next() : c;
    }
    if (this.pos >= this.src.length) {
      this.fail(startLine, startCol, 'the backquote opened here is never closed');
      return;
    }
    this.next();
    parts.push({ kind: 'subst', text: '`' + inner + '`', quoted });
    raw.s += this.src.slice(startPos, this.pos);
  }
}

/** Appends text to a word, joining it to the last part when that is text quoted the same way. */
function addText(word: Word, text: string, quoted: boolean): void {
  const last = word.parts[word.parts.length - 1];
  if (last !== undefined && last.kind === 'text' && last.quoted === quoted) last.text += text;
  else word.parts.push({ kind: 'text', text, quoted });
}
