#!/usr/bin/env node
// @ts-check
// `npm run repl`: Node's own REPL (node:repl) over the built library in dist/ — the same code the
// notebooks import — with every export of the library in scope (also as lib.*) and `lab`, the
// write-up's lab with anycast (do_anycast), loaded and booted. For quick questions without a notebook:
//
//   > console.log(lab.exec('r3', 'traceroute 10.128.4.2', { at: '1m' }))
//   > lab.runUntil('5m'); lab.routes().filter(r => r.node === 'r1')
//   > .type lab.routes()
//
// Lines may be TypeScript: a line that is not JavaScript goes through TypeScript's transpileModule,
// which strips the types (no type check, so a line runs at once). `.type <expression>` prints an expression's type and
// `.check` turns on type-checking of every line, both from the library's .d.ts files in dist/.
// Plain JavaScript on purpose: it runs on every supported Node (20, 22, 24) without a TypeScript
// runner, and it checks whether dist/ is older than lib/ before loading it (a full build takes ~10 s).
'use strict';
// Node 22.1 and later can keep the library's compiled code between starts (module.enableCompileCache):
// later starts are faster. Node 20 has no such cache and starts as before.
/** @type {{ enableCompileCache?: () => unknown }} */ (require('node:module')).enableCompileCache?.();
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join, relative, resolve } = require('node:path');
const { spawnSync } = require('node:child_process');
const { inspect, types: { isNativeError } } = require('node:util');
const nodeRepl = require('node:repl');
const { Script } = require('node:vm');

const root = resolve(__dirname, '..');
const dist = join(root, 'dist');

/**
 * Why dist/ needs a build, or null when it is current: every lib/**\/*.ts has its dist/**\/*.js, written
 * after the source last changed (tsc rewrites every output on each build), and tsconfig.json is older
 * than the build. A few hundred stat calls: milliseconds.
 * @param {string} [project] the project folder (this one by default)
 * @returns {string | null}
 */
function staleReason(project = root) {
  const lib = join(project, 'lib');
  const dist = join(project, 'dist');
  const index = join(dist, 'index.js');
  if (!existsSync(index)) return 'dist/ has no build';
  if (statSync(join(project, 'tsconfig.json')).mtimeMs > statSync(index).mtimeMs) return 'tsconfig.json changed since the last build';
  /** @type {string[]} */
  const pending = [lib];
  while (pending.length > 0) {
    const dir = /** @type {string} */ (pending.pop());
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) pending.push(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
        const out = join(dist, relative(lib, path)).replace(/\.ts$/, '.js');
        if (!existsSync(out) || statSync(path).mtimeMs > statSync(out).mtimeMs) return `${relative(project, path)} changed since the last build`;
      }
    }
  }
  return null;
}

/** Builds dist/ (`npm run build`) if it is older than lib/; exits when the build fails. */
function buildIfStale() {
  const reason = staleReason();
  if (reason === null) return;
  console.error(`repl: ${reason}: building (npm run build) ...`);
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const build = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json')], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    console.error('repl: the build failed (above): fix lib/ and start again');
    process.exit(2);
  }
}

/** @typedef {typeof import('typescript')} TS */
/** @type {TS | undefined} */
let tsModule;
/** TypeScript, loaded for the first line that is not JavaScript (~0.2 s). @returns {TS} */
function ts() {
  tsModule ??= /** @type {TS} */ (require(join(root, 'node_modules', 'typescript')));
  return tsModule;
}

/**
 * A typed line as JavaScript: `{ js }`, `{ incomplete }` when the line stops mid-expression (the REPL
 * then reads on, as Node's does for JavaScript), or `{ error }` with TypeScript's syntax message.
 * @param {string} code
 * @returns {{ js: string } | { incomplete: string } | { error: string }}
 */
function transpile(code) {
  // Most lines are JavaScript already: run them as typed, and load TypeScript only for the others.
  const braces = /^\s*\{/.test(code) && /\}\s*$/.test(code);
  for (const js of braces ? [`(${code.trim()})\n`, code] : [code]) {
    try {
      new Script(js);
      return { js };
    } catch {
      // not JavaScript (a type annotation, or an incomplete line): TypeScript decides below
    }
  }
  const t = ts();
  /** @param {string} text */
  const run = (text) =>
    t.transpileModule(text, {
      reportDiagnostics: true,
      compilerOptions: { target: t.ScriptTarget.ES2022, module: t.ModuleKind.CommonJS, esModuleInterop: true, removeComments: false },
    });
  // `{ a: 1 }` is an object, not a block with a label: Node's REPL reads it so, and so does this one.
  if (braces) {
    const wrapped = run(`(${code.trim()})\n`);
    if ((wrapped.diagnostics ?? []).length === 0) return { js: wrapped.outputText };
  }
  const out = run(code);
  const first = (out.diagnostics ?? [])[0];
  if (first === undefined) return { js: out.outputText };
  const message = t.flattenDiagnosticMessageText(first.messageText, ' ');
  if ((first.start ?? 0) >= code.trimEnd().length) return { incomplete: message };
  const { line, character } = t.getLineAndCharacterOfPosition(t.createSourceFile('line.ts', code, t.ScriptTarget.ES2022), first.start ?? 0);
  return { error: `${message} (line ${line + 1}, column ${character + 1})` };
}

/**
 * An error as one line: its name and message, without the dist/*.js line and stack frames Node's
 * REPL prints (ANYCAST_LAB_DEBUG=1 keeps the stack, as the command line does).
 * @param {unknown} err
 */
function oneLine(err) {
  // Errors made by the typed line come from the REPL's context, where `instanceof Error` is false.
  const error = err instanceof Error || isNativeError(err) ? /** @type {Error} */ (err) : null;
  if (process.env['ANYCAST_LAB_DEBUG'] === '1' && error?.stack) return error.stack;
  if (error !== null) return `${error.name}: ${error.message.split('\n')[0]}`;
  return `Uncaught ${inspect(err)}`;
}

/**
 * Types from the library's .d.ts files: a TypeScript language service over one virtual file, the
 * imports of every library export plus each line run so far. Built on first use (~3 s), not at start.
 * @param {string[]} valueNames
 */
function typeService(valueNames) {
  const t = ts();
  const file = join(root, '<repl>.ts');
  const config = t.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, { ...t.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  // Lines typed at a prompt are not a program: unused names are fine, and nothing is emitted.
  const options = { ...(config?.options ?? {}), noUnusedLocals: false, noUnusedParameters: false, noEmit: true, declaration: false, rootDir: root };
  /** @param {string[]} imported */
  const preludeOf = (imported) => `import { ${imported.join(', ')} } from ${JSON.stringify(dist)};\ndeclare const lib: typeof import(${JSON.stringify(dist)});\ndeclare const lab: Lab;\n`;
  let prelude = preludeOf(valueNames);
  let lines = '';
  let probe = '';
  let version = 0;
  const text = () => prelude + lines + probe;
  /** @type {import('typescript').LanguageServiceHost} */
  const host = {
    getScriptFileNames: () => [file],
    getScriptVersion: (f) => (f === file ? String(version) : '0'),
    getScriptSnapshot: (f) => {
      if (f === file) return t.ScriptSnapshot.fromString(text());
      const content = t.sys.readFile(f);
      return content === undefined ? undefined : t.ScriptSnapshot.fromString(content);
    },
    getCurrentDirectory: () => root,
    getCompilationSettings: () => options,
    getDefaultLibFileName: (o) => t.getDefaultLibFilePath(o),
    fileExists: (f) => f === file || t.sys.fileExists(f),
    readFile: (f) => (f === file ? text() : t.sys.readFile(f)),
    readDirectory: t.sys.readDirectory,
    directoryExists: t.sys.directoryExists,
    getDirectories: t.sys.getDirectories,
  };
  const service = t.createLanguageService(host, t.createDocumentRegistry());
  // Import the type-only exports too (RouteRow, LabSpec, ...), so that `.type` and checked lines name them as the library does.
  const program = service.getProgram();
  const index = program?.getSourceFile(join(dist, 'index.d.ts'));
  const module = index === undefined ? undefined : program?.getTypeChecker().getSymbolAtLocation(index);
  if (program !== undefined && module !== undefined) {
    const all = program.getTypeChecker().getExportsOfModule(module).map((symbol) => symbol.name);
    prelude = preludeOf([...new Set([...valueNames, ...all])].filter((name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== 'default'));
    version++;
  }
  /** @param {string} code */
  const errorsOf = (code) => {
    const start = (prelude + lines).length;
    probe = code + '\n';
    version++;
    const diagnostics = [...service.getSyntacticDiagnostics(file), ...service.getSemanticDiagnostics(file)];
    return diagnostics.filter((d) => (d.start ?? 0) >= start).map((d) => `error TS${d.code}: ${t.flattenDiagnosticMessageText(d.messageText, ' ')}`);
  };
  return {
    /** The type errors of a line, given the lines run before it. @param {string} code */
    check: (code) => {
      const errors = errorsOf(code);
      probe = '';
      version++;
      return errors;
    },
    /** Records a line that ran, so later lines and `.type` know what it declared. @param {string} code */
    ran: (code) => {
      lines += code + '\n';
      probe = '';
      version++;
    },
    /** An expression's type as TypeScript writes it. @param {string} expression */
    typeOf: (expression) => {
      const errors = errorsOf(`let __type__ = (${expression});`);
      if (errors.length > 0) return errors.join('\n');
      const info = service.getQuickInfoAtPosition(file, (prelude + lines).length + 'let '.length);
      probe = '';
      version++;
      return info === undefined ? '(no type)' : t.displayPartsToString(info.displayParts).replace(/^let __type__: /, '');
    },
  };
}

/**
 * Starts the REPL with the library and `lab` in its context.
 * @param {{ input?: NodeJS.ReadableStream, output?: NodeJS.WritableStream, terminal?: boolean, banner?: boolean }} [options]
 */
function startRepl(options = {}) {
  const library = require(dist);
  // Every value the library exports (classes are types too); `.type` and `.check` also know its type-only exports.
  const names = Object.keys(library).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== 'default');
  const lab = library.Lab.load(library.labPath('anycast'), { do_anycast: true });
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  if (options.banner !== false) {
    output.write(
      "anycast-lab REPL: every export of the library is in scope (also as lib.*), and lab = Lab.load(labPath('anycast'), { do_anycast: true }).\n" +
        "Try: console.log(lab.exec('r3', 'traceroute 10.128.4.2', { at: '1m' }))  ·  Tab completes  ·  .type <expr>  ·  .check  ·  .exit or Ctrl-D to leave\n",
    );
  }

  /** @type {ReturnType<typeof typeService> | undefined} */
  let types;
  let checking = false;
  /** @type {string[]} */
  const ran = [];
  const typesNow = () => {
    if (types === undefined) {
      types = typeService(names);
      for (const line of ran) types.ran(line);
    }
    return types;
  };
  /** @param {string} line */
  const say = (line) => output.write(line + '\n');

  /** @type {import('node:repl').REPLEval} */
  const evalTyped = (code, context, file, callback) => {
    const js = transpile(code);
    if ('incomplete' in js) return callback(new nodeRepl.Recoverable(new SyntaxError(js.incomplete)), undefined);
    if ('error' in js) {
      say(`SyntaxError: ${js.error}`);
      return callback(null, undefined);
    }
    if (checking) {
      const errors = typesNow().check(code);
      if (errors.length > 0) {
        say(errors.join('\n'));
        return callback(null, undefined);
      }
    }
    // Run here rather than through Node's own eval, which hands a thrown error to the REPL's domain
    // (printed with its stack) instead of to this callback. Ctrl-C stops a long run (breakOnSigint).
    // On a terminal readline holds it in raw mode, where Ctrl-C is a key read after the line: leave raw
    // mode while the line runs so that Ctrl-C is a SIGINT again (as Node's own REPL does, lib/repl.js).
    const tty = /** @type {{ isTTY?: boolean, isRaw?: boolean, setRawMode?: (raw: boolean) => void }} */ (input);
    const raw = tty.isTTY === true && tty.isRaw === true && typeof tty.setRawMode === 'function';
    if (raw) tty.setRawMode?.(false);
    let result;
    try {
      result = new Script(js.js, { filename: file }).runInContext(context, { breakOnSigint: true, displayErrors: false });
    } catch (err) {
      const interrupted = err !== null && typeof err === 'object' && 'code' in err && err.code === 'ERR_SCRIPT_EXECUTION_INTERRUPTED';
      say(interrupted ? `Interrupted (Ctrl-C): lab.now is ${library.formatDuration(lab.now)}` : oneLine(err));
      return callback(null, undefined);
    } finally {
      if (raw) tty.setRawMode?.(true);
    }
    if (code.trim() !== '') {
      ran.push(code);
      types?.ran(code);
    }
    callback(null, result);
  };
  const server = nodeRepl.start({
    prompt: '> ',
    input,
    output,
    ...(options.terminal === undefined ? {} : { terminal: options.terminal }),
    // console.log(...) and lab.fail(...) return undefined: do not print it after their output.
    ignoreUndefined: true,
    eval: evalTyped,
  });
  for (const name of names) server.context[name] = library[name];
  server.context['lib'] = library;
  server.context['lab'] = lab;

  server.defineCommand('type', {
    help: "Print an expression's type (TypeScript, from dist/*.d.ts; the first use takes a few seconds)",
    action(expression) {
      if (expression.trim() === '') say('usage: .type <expression>, e.g. .type lab.routes()');
      else say(typesNow().typeOf(expression));
      this.displayPrompt();
    },
  });
  server.defineCommand('check', {
    help: 'Type-check every line before it runs (on/off; the first check takes a few seconds)',
    action(arg) {
      checking = arg.trim() === '' ? !checking : arg.trim() === 'on';
      say(`type-checking ${checking ? 'on' : 'off'}`);
      this.displayPrompt();
    },
  });
  return server;
}

module.exports = { startRepl, staleReason, transpile };

if (require.main === module) {
  buildIfStale();
  startRepl();
}
