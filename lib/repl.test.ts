// `npm run repl` (scripts/repl.js): Node's REPL over the built library starts at once when dist/ is
// current, with the write-up's lab (anycast on) loaded; it answers the README's one-liners piped on
// stdin, takes durations as text, prints an error as one line, completes names on Tab, and gives
// TypeScript types from the library's .d.ts files on request (.type, .check).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { spawn, spawnSync } from 'node:child_process';
import type { REPLServer } from 'node:repl';
import type { AsyncCompleter, CompleterResult } from 'node:readline';

const root = resolve(__dirname, '..');
const script = join(root, 'scripts', 'repl.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const repl = require(script) as {
  startRepl(options: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream; terminal: boolean; banner: boolean }): REPLServer;
  staleReason(project?: string): string | null;
};

/** Runs the REPL as `npm run repl` does (with this test's Node), `lines` piped on stdin. */
function runRepl(lines: string[]): { status: number | null; out: string; err: string; ms: number } {
  const start = Date.now();
  const run = spawnSync(process.execPath, [script], { cwd: root, input: lines.join('\n') + '\n', encoding: 'utf8', timeout: 50_000 });
  return { status: run.status, out: run.stdout, err: run.stderr, ms: Date.now() - start };
}

/** The one-liners of the README's REPL section, as typed after its `> ` prompts. */
function readmeLines(): string[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Quick questions: the REPL'));
  const block = /```ts\n([\s\S]*?)```/.exec(section);
  assert.ok(block, "README's REPL section has a ts block");
  return block[1]!.split('\n').filter((l) => l.startsWith('> ')).map((l) => l.slice(2));
}

test("the README's REPL one-liners give the output it promises (anycast on, durations as text)", { timeout: 60_000 }, () => {
  const lines = readmeLines();
  assert.equal(lines.length, 6, lines.join('\n'));
  const run = runRepl(lines);
  assert.equal(run.status, 0, `repl exited with ${run.status}:\n${run.out}\n${run.err}`);
  const out = run.out;
  assert.match(out, /anycast-lab REPL/);
  assert.match(out, /Tracing the route to 10\.128\.4\.2/);
  assert.match(out, /3 10\.128\.4\.2 \d+ msec/);
  assert.match(out, /node: 'r1',\n\s+prefix: '10\.128\.224\.2\/32',\n\s+source: 'rip',\n\s+nextHop: '10\.128\.3\.2'/, 'r1 learned the anycast address by 5 minutes');
  assert.match(out, /traceroute to 10\.128\.224\.2 .*\n 1 {2}10\.128\.7\.1 .*\n 2 {2}10\.128\.224\.2 /, 'xenial3 reaches the anycast address 2 hops away (xenial1)');
  assert.match(out, /\n 4 {2}10\.128\.4\.2 .*\n 5 {2}10\.128\.224\.2 /, 'with xenial1 halted, xenial2 answers 5 hops away');
  assert.match(out, /R\s+10\.128\.8\.0 \[120\/3\] via 10\.128\.1\.2/, 'FRR-profile r1 learned 10.128.8.0/24 by 1 minute');
  assert.match(out, /> RouteRow\[\]\n/);
  assert.doesNotMatch(out, /Error/);
});

test('with dist/ current the REPL starts and answers in under 3 s, without rebuilding', { timeout: 30_000 }, () => {
  assert.equal(repl.staleReason(), null, 'npm run build ran before the tests');
  const run = runRepl(['formatDuration(seconds(90))']);
  assert.equal(run.status, 0, run.err);
  assert.match(run.out, /> '1m30s'\n/);
  assert.equal(run.err, '', 'nothing was built');
  assert.ok(run.ms <= 3000, `started and answered in ${run.ms} ms`);
});

test('an error prints one line: its message, no compiled dist/*.js line, no stack; multi-line input reads on', { timeout: 30_000 }, () => {
  const run = runRepl([
    "lab.exec('r3', 'show ip route', { at: '5x' })",
    "lab.runUntil('soon')",
    'lab.nope()',
    "lab.exec('nobody', 'ping')",
    'let x = ;',
    'formatDuration(',
    '  seconds(90))',
    'lab.now',
  ]);
  assert.equal(run.status, 0, run.err);
  const units = '(units: us, ms, s, m, h, d)';
  const expected = [
    `> Error: at: expected a duration such as 300s, 5m, 1h30m or 250ms, got "5x" ${units}`,
    `> Error: runUntil: expected a duration such as 300s, 5m, 1h30m or 250ms, got "soon" ${units}`,
    '> TypeError: lab.nope is not a function',
    '> Error: no node named "nobody" (nodes: r1, r2, r3, r4, xenial1, xenial2, xenial3, xenial4)',
    '> SyntaxError: Expression expected. (line 1, column 9)',
    "> ... '1m30s'", // Node 24 prompts `| ` for a continued line, 20 and 22 `... `
    '> 0',
    '> ',
  ];
  const lines = run.out.split('\n').slice(2).map((line) => line.replace(/^> \| /, '> ... '));
  assert.deepEqual(lines, expected, run.out);
  assert.equal(run.err, '');
});

test('Ctrl-C stops a long run and the REPL carries on', { timeout: 30_000 }, async () => {
  const child = spawn(process.execPath, [script], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const until = async (pattern: RegExp) => {
    for (let i = 0; i < 200 && !pattern.test(out); i++) await new Promise((done) => setTimeout(done, 100));
    assert.match(out, pattern);
  };
  try {
    await until(/\n> $/);
    child.stdin.write("lab.runUntil('99999999h')\n");
    await new Promise((done) => setTimeout(done, 1000));
    child.kill('SIGINT');
    await until(/Interrupted \(Ctrl-C\): lab\.now is \d+h/);
    child.stdin.end("typeof lab.now\n");
    const status = await new Promise((done) => child.on('exit', done));
    assert.equal(status, 0);
    assert.match(out, /> 'number'\n/);
  } finally {
    child.kill();
  }
});

test('Tab completes library names and members; .type and .check give TypeScript types from dist/*.d.ts', { timeout: 60_000 }, async () => {
  const input = new PassThrough();
  const output = new PassThrough();
  let out = '';
  output.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const server = repl.startRepl({ input, output, terminal: true, banner: false });
  const complete = (line: string) =>
    new Promise<[string[], string]>((done, fail) =>
      (server.completer as AsyncCompleter)(line, (err?: null | Error, result?: CompleterResult) => (err ? fail(err) : done(result!))),
    );
  try {
    assert.deepEqual(await complete('formatDu'), [['formatDuration'], 'formatDu']);
    assert.deepEqual(await complete('lab.ex'), [['lab.exec'], 'lab.ex']);
    assert.deepEqual(await complete('lib.withRipP'), [['lib.withRipProfile'], 'lib.withRipP']);
    // The key itself, on a terminal: Tab fills in the one completion, Enter runs it.
    const settle = () => new Promise((done) => setTimeout(done, 300));
    input.write('formatDurat');
    input.write('\t');
    await settle();
    input.write('(seconds(42))\r');
    await settle();
    assert.match(out, /formatDuration\(seconds\(42\)\)/);
    assert.match(out, /'42s'/);

    out = '';
    input.write('.type lab.exec\r');
    input.write(".check\rconst wrong: number = 'text'\rconst right: RouteRow[] = lab.routes()\r.type right[0].prefix\r");
    for (let i = 0; i < 200 && !/type-checking on[\s\S]*> string/.test(out); i++) await new Promise((done) => setTimeout(done, 100));
    assert.match(out, /\(nodeName: string, command: string, options\?: ExecOptions\) => string/);
    assert.match(out, /error TS2322: Type 'string' is not assignable to type 'number'\./);
    assert.match(out, /> string/);
  } finally {
    server.close();
  }
});

test('dist/ is stale when a lib/ source is newer than its output, has none, or tsconfig.json changed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'repl-stale-'));
  try {
    mkdirSync(join(dir, 'lib', 'sim'), { recursive: true });
    mkdirSync(join(dir, 'dist', 'sim'), { recursive: true });
    const at = (path: string, seconds: number) => utimesSync(join(dir, path), seconds, seconds);
    for (const f of ['tsconfig.json', 'lib/index.ts', 'lib/sim/time.ts', 'lib/types.d.ts', 'dist/index.js', 'dist/sim/time.js']) writeFileSync(join(dir, f), '');
    for (const f of ['tsconfig.json', 'lib/index.ts', 'lib/sim/time.ts', 'lib/types.d.ts']) at(f, 1000);
    for (const f of ['dist/index.js', 'dist/sim/time.js']) at(f, 2000);
    assert.equal(repl.staleReason(dir), null);
    at('lib/sim/time.ts', 3000);
    assert.equal(repl.staleReason(dir), 'lib/sim/time.ts changed since the last build');
    at('lib/sim/time.ts', 1000);
    writeFileSync(join(dir, 'lib', 'sim', 'rng.ts'), '');
    at('lib/sim/rng.ts', 1000);
    assert.equal(repl.staleReason(dir), 'lib/sim/rng.ts changed since the last build');
    rmSync(join(dir, 'lib', 'sim', 'rng.ts'));
    at('tsconfig.json', 3000);
    assert.equal(repl.staleReason(dir), 'tsconfig.json changed since the last build');
    rmSync(join(dir, 'dist', 'index.js'));
    assert.equal(repl.staleReason(dir), 'dist/ has no build');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
