// `npm run repl` (scripts/repl.ts): the TypeScript REPL starts with the library and the write-up's lab
// loaded, answers the README's one-liners piped on stdin, and reports a type error as TypeScript does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = resolve(__dirname, '..');

test('npm run repl answers the README one-liners piped on stdin', { timeout: 60_000 }, () => {
  const input = [
    "console.log(lab.exec('r3', 'traceroute 10.128.4.2', { at: seconds(60) }))",
    "lab.runUntil(seconds(300)); lab.routes().filter(r => r.node === 'r1').length",
    "console.log(new Lab(withRipProfile(loadLab(labPath('anycast')), 'frr')).exec('r1', 'show ip route', { at: seconds(60) }))",
    "const wrong: number = 'text'",
    'formatDuration(seconds(90))',
  ].join('\n');
  const run = spawnSync(join(root, 'node_modules', '.bin', 'ts-node'), [join(root, 'scripts', 'repl.ts')], { cwd: root, input: input + '\n', encoding: 'utf8', timeout: 50_000 });
  assert.equal(run.status, 0, `repl exited with ${run.status ?? run.signal}:\n${run.stdout}\n${run.stderr}`);
  const out = run.stdout + run.stderr;
  assert.match(out, /anycast-lab REPL/);
  assert.match(out, /Tracing the route to 10\.128\.4\.2/);
  assert.match(out, /3 10\.128\.4\.2 \d+ msec/);
  assert.match(out, /> 7\n/, 'r1 knows 7 routes after 5 minutes');
  assert.match(out, /R\s+10\.128\.8\.0 \[120\/3\] via 10\.128\.1\.2/, 'FRR-profile r1 learned 10.128.8.0/24 by 1 minute');
  assert.match(out, /error TS2322: Type 'string' is not assignable to type 'number'/);
  assert.match(out, /'1m30s'/);
});
