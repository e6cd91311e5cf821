/**
 * A small lexer for the shell setup scripts in labs: words with single and double quotes, `\` escapes
 * and line continuations, `$VAR`, `${VAR}`, `$(…)` and backquotes, comments, `;`, pipes and `&&`/`||`,
 * redirections, and here-documents (`<<EOF`, `<<'EOF'`, `<<-EOF`). It does not run anything: host.ts
 * interprets the statements it produces.
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

const META = new Set([' ', '\t', '\r', '\n', ';', '&', '|', '<', '>', '(', ')']);

export function lexShell(src: string): { statements: Statement[]; problems: LexProblem[] } {
  const statements: Statement[] = [];
  const problems: LexProblem[] = [];
  let pos = 0;
  let line = 1;
  let col = 1;
  let fatal = false;

  let stmt: Statement | null = null;
  let stmtStart = 0;
  let stmtEnd = 0;
  let cmd: SimpleCommand | null = null;
  let pendingHeredocs: Redirect[] = [];
  let expectDelimiter: Redirect | null = null;
  let expectTarget: Redirect | null = null;

  const peek = (k = 0): string | undefined => src[pos + k];
  const next = (): string => {
    const c = src[pos++]!;
    if (c === '\n') {
      line++;
      col = 1;
    } else col++;
    return c;
  };
  const fail = (l: number, c: number, message: string): void => {
    problems.push({ line: l, column: c, message });
    fatal = true;
  };

  function ensureCommand(): SimpleCommand {
    if (stmt === null) {
      stmt = { commands: [], connectors: [], background: false, line, text: '' };
      stmtStart = pos;
    }
    if (cmd === null) {
      cmd = { words: [], redirects: [], line, column: col };
      stmt.commands.push(cmd);
    }
    return cmd;
  }

  function endStatement(background = false): void {
    if (expectDelimiter !== null || expectTarget !== null) {
      const r = (expectDelimiter ?? expectTarget)!;
      problems.push({ line: r.line, column: r.column, message: `expected a word after "${r.op}"` });
      expectDelimiter = null;
      expectTarget = null;
    }
    if (stmt !== null) {
      const s: Statement = stmt;
      s.background = background;
      s.text = src.slice(stmtStart, stmtEnd).trim();
      // A trailing connector (`a &&` at end of line) continues on the next line in bash; we keep it simple.
      if (s.commands.length > 0 && s.commands[s.commands.length - 1]!.words.length === 0 && s.commands[s.commands.length - 1]!.redirects.length === 0) {
        s.commands.pop();
        if (s.connectors.length > 0) s.connectors.pop();
      }
      if (s.commands.length > 0) statements.push(s);
    }
    stmt = null;
    cmd = null;
  }

  function readHeredocBodies(): void {
    for (const r of pendingHeredocs) {
      const h = r.heredoc!;
      h.bodyLine = line;
      let body = '';
      let closed = false;
      while (pos < src.length) {
        const nl = src.indexOf('\n', pos);
        const end = nl < 0 ? src.length : nl;
        let text = src.slice(pos, end);
        if (text.endsWith('\r')) text = text.slice(0, -1);
        if (h.stripTabs) text = text.replace(/^\t+/, '');
        pos = nl < 0 ? src.length : nl + 1;
        line++;
        col = 1;
        if (text === h.delimiter) {
          closed = true;
          break;
        }
        body += text + '\n';
      }
      h.body = body;
      if (!closed) {
        problems.push({
          line: r.line,
          column: r.column,
          message: `the here-document started here ("${r.op}${h.delimiter}") is not closed by a line "${h.delimiter}"`,
        });
        fatal = true;
      }
    }
    pendingHeredocs = [];
  }

  /** Reads up to the `)` closing a `$(`; returns the text inside. */
  function readBalanced(startLine: number, startCol: number, what: string): string {
    let depth = 1;
    let text = '';
    while (pos < src.length) {
      const c = next();
      if (c === "'") {
        const close = src.indexOf("'", pos);
        if (close < 0) break;
        text += c;
        while (pos <= close) text += next();
        continue;
      }
      if (c === '\\' && pos < src.length) {
        text += c + next();
        continue;
      }
      if (c === '(') depth++;
      if (c === ')') {
        depth--;
        if (depth === 0) return text;
      }
      text += c;
    }
    fail(startLine, startCol, `"${what}" opened here is never closed`);
    return text;
  }

  function readDollar(parts: WordPart[], quoted: boolean, raw: { s: string }): void {
    const startLine = line;
    const startCol = col;
    const startPos = pos;
    next(); // $
    const c = peek();
    if (c === '{') {
      next();
      const close = src.indexOf('}', pos);
      if (close < 0) {
        fail(startLine, startCol, '"${" opened here is never closed');
        pos = src.length;
        return;
      }
      let inner = '';
      while (pos < close) inner += next();
      next();
      if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(inner)) parts.push({ kind: 'var', name: inner, quoted });
      else parts.push({ kind: 'subst', text: '${' + inner + '}', quoted });
    } else if (c === '(') {
      next();
      const inner = readBalanced(startLine, startCol, '$(');
      parts.push({ kind: 'subst', text: '$(' + inner + ')', quoted });
    } else if (c !== undefined && /[A-Za-z_]/.test(c)) {
      let name = '';
      while (pos < src.length && /[A-Za-z0-9_]/.test(peek()!)) name += next();
      parts.push({ kind: 'var', name, quoted });
    } else if (c !== undefined && /[0-9?#$!@*-]/.test(c)) {
      parts.push({ kind: 'var', name: next(), quoted });
    } else {
      parts.push({ kind: 'text', text: '$', quoted });
    }
    raw.s += src.slice(startPos, pos);
  }

  function readBackquote(parts: WordPart[], quoted: boolean, raw: { s: string }): void {
    const startLine = line;
    const startCol = col;
    const startPos = pos;
    next();
    let inner = '';
    while (pos < src.length && peek() !== '`') {
      const c = next();
      inner += c === '\\' && pos < src.length ? next() : c;
    }
    if (pos >= src.length) {
      fail(startLine, startCol, 'the backquote opened here is never closed');
      return;
    }
    next();
    parts.push({ kind: 'subst', text: '`' + inner + '`', quoted });
    raw.s += src.slice(startPos, pos);
  }

  function readWord(): Word {
    const word: Word = { parts: [], raw: '', line, column: col };
    const raw = { s: '' };
    const addText = (text: string, quoted: boolean): void => {
      const last = word.parts[word.parts.length - 1];
      if (last !== undefined && last.kind === 'text' && last.quoted === quoted) last.text += text;
      else word.parts.push({ kind: 'text', text, quoted });
    };
    while (pos < src.length && !fatal) {
      const c = peek()!;
      if (META.has(c)) break;
      if (c === "'") {
        const l = line;
        const cc = col;
        const start = pos;
        next();
        const close = src.indexOf("'", pos);
        if (close < 0) {
          fail(l, cc, 'the single quote opened here is never closed');
          pos = src.length;
          break;
        }
        let text = '';
        while (pos < close) text += next();
        next();
        addText(text, true);
        raw.s += src.slice(start, pos);
        continue;
      }
      if (c === '"') {
        const l = line;
        const cc = col;
        const start = pos;
        next();
        let closed = false;
        let text = '';
        const flush = (): void => {
          if (text !== '') addText(text, true);
          text = '';
        };
        while (pos < src.length && !fatal) {
          const d = peek()!;
          if (d === '"') {
            next();
            closed = true;
            break;
          }
          if (d === '\\') {
            next();
            const e = peek();
            if (e === undefined) break;
            if (e === '\n') next();
            else if ('$`"\\'.includes(e)) text += next();
            else text += '\\';
            continue;
          }
          if (d === '$') {
            flush();
            const sub = { s: '' };
            readDollar(word.parts, true, sub);
            continue;
          }
          if (d === '`') {
            flush();
            readBackquote(word.parts, true, { s: '' });
            continue;
          }
          text += next();
        }
        flush();
        if (!closed && !fatal) fail(l, cc, 'the double quote opened here is never closed');
        raw.s += src.slice(start, pos);
        continue;
      }
      if (c === '\\') {
        next();
        if (pos >= src.length) break;
        if (peek() === '\n') {
          next();
          continue;
        }
        const e = next();
        addText(e, true);
        raw.s += '\\' + e;
        continue;
      }
      if (c === '$') {
        readDollar(word.parts, false, raw);
        continue;
      }
      if (c === '`') {
        readBackquote(word.parts, false, raw);
        continue;
      }
      addText(next(), false);
      raw.s += c;
    }
    word.raw = raw.s;
    return word;
  }

  while (pos < src.length && !fatal) {
    const c = peek()!;
    if (c === '\n') {
      next();
      endStatement();
      if (pendingHeredocs.length > 0) readHeredocBodies();
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      next();
      continue;
    }
    if (c === '\\' && peek(1) === '\n') {
      next();
      next();
      continue;
    }
    if (c === '#') {
      while (pos < src.length && peek() !== '\n') next();
      continue;
    }
    if (c === ';') {
      stmtEnd = pos;
      next();
      if (peek() === ';') {
        problems.push({ line, column: col - 1, message: '";;" outside a case statement' });
        next();
      }
      endStatement();
      continue;
    }
    if (c === '&' && peek(1) !== '>') {
      stmtEnd = pos;
      next();
      if (peek() === '&') {
        next();
        if (stmt !== null) (stmt as Statement).connectors.push('&&');
        cmd = null;
        continue;
      }
      endStatement(true);
      continue;
    }
    if (c === '|') {
      next();
      const connector: '|' | '||' = peek() === '|' ? '||' : '|';
      if (connector === '||' || peek() === '&') next();
      if (stmt !== null) (stmt as Statement).connectors.push(connector);
      else problems.push({ line, column: col - 1, message: `"${connector}" with no command before it` });
      cmd = null;
      continue;
    }
    // Redirections, with an optional file descriptor number before them.
    const redirect = /^(\d*)(<<<|<<-|<<|>>|>&|<&|>\||&>|>|<)/.exec(src.slice(pos, pos + 8));
    if (redirect !== null && (redirect[1] === '' || /[<>]/.test(redirect[2]!))) {
      const command = ensureCommand();
      const r: Redirect = {
        op: redirect[2]!,
        fd: redirect[1] === '' ? null : Number(redirect[1]),
        target: null,
        heredoc: null,
        line,
        column: col,
      };
      for (let i = 0; i < redirect[0].length; i++) next();
      command.redirects.push(r);
      if (r.op === '<<' || r.op === '<<-') expectDelimiter = r;
      else expectTarget = r;
      stmtEnd = pos;
      continue;
    }
    if (c === '(' || c === ')') {
      const command = ensureCommand();
      command.words.push({ parts: [{ kind: 'text', text: c, quoted: false }], raw: c, line, column: col });
      next();
      stmtEnd = pos;
      continue;
    }
    const command = ensureCommand();
    const before = pos;
    const word = readWord();
    if (pos === before && !fatal) {
      // Never stall on a character the rules above do not cover: take it as text.
      word.parts.push({ kind: 'text', text: next(), quoted: false });
    }
    stmtEnd = pos;
    if (expectDelimiter !== null) {
      const r: Redirect = expectDelimiter;
      const delimiter = word.parts.map((p) => (p.kind === 'text' ? p.text : p.kind === 'var' ? '$' + p.name : p.text)).join('');
      r.heredoc = {
        delimiter,
        quoted: word.parts.some((p) => p.quoted),
        stripTabs: r.op === '<<-',
        body: '',
        bodyLine: line + 1,
      };
      r.target = word;
      pendingHeredocs.push(r);
      expectDelimiter = null;
    } else if (expectTarget !== null) {
      expectTarget.target = word;
      expectTarget = null;
    } else {
      command.words.push(word);
    }
  }
  if (!fatal) {
    stmtEnd = pos;
    endStatement();
    if (pendingHeredocs.length > 0) readHeredocBodies();
  }
  return { statements, problems };
}
