/**
 * The command line as a terminal meets it: output into a closed pipe ends quietly, Ctrl-C stops a
 * long run and prints what was done. Real processes, real pipes, real signals.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { runCliAsync } from './main';

const CLI = join(__dirname, 'main.js');

function bash(script: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync('bash', ['-c', script], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, CLI, NODE: process.execPath } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('output into a closed pipe: no EPIPE stack trace, the status of a tool killed by SIGPIPE (141)', () => {
  for (const command of ['check anycast', 'routes anycast --at 5m --json', 'routes anycast --at 5m']) {
    // `head -1` as the issue has it: the first line, and nothing on stderr whenever head closes the pipe.
    const head = bash(`"$NODE" "$CLI" ${command} | head -1`);
    assert.equal(head.code, 0, command);
    assert.equal(head.stdout.split('\n').length, 2, command);
    assert.equal(head.stderr, '', command);
    // `true` closes the pipe before the command has written anything: every write meets EPIPE.
    const closed = bash(`set -o pipefail; "$NODE" "$CLI" ${command} | true`);
    assert.equal(closed.stderr, '', command);
    assert.equal(closed.code, 141, command);
  }
});

test('Ctrl-C (SIGINT) stops failover --runs between runs: the outage over the runs done, exit 130', async () => {
  const child = spawn(process.execPath, [CLI, 'failover', 'anycast', '--fail', 'xenial1:halt', '--at', '2m', '--runs', '5000', '--profile', 'frr'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  // The first progress line comes after a second of running: the run is under way, SIGINT is listened for.
  child.stderr.on('data', (b: Buffer) => {
    if (stderr === '') child.kill('SIGINT');
    stderr += b.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  assert.equal(code, 130, stderr);
  assert.match(stderr, /^failover: \d+\/5000 runs \(\d+%\), Ctrl-C stops\n/);
  const m = /\ninterrupted after (\d+) of 5000 runs \(Ctrl-C\): the outage over those\n$/.exec(stderr);
  assert.ok(m !== null, stderr);
  assert.ok(Number(m[1]) >= 1 && Number(m[1]) < 5000);
  assert.match(stdout, new RegExp(`^failover xenial1:halt at 2m \\+ U\\[0, 30s\\), ${m[1]} of 5000 runs, profile frr, seed 1\\noutage min/median/max = \\d+/\\d+(\\.5)?/\\d+ s\\n$`));
  assert.doesNotMatch(stderr, /\n\s+at /);
});

test('a stepped run stopped at its first step prints what it reached: routes at that time, capture its frames, exec nothing', async () => {
  const stopped = AbortSignal.abort();
  const routes = await runCliAsync(['routes', 'anycast', '--at', '24h'], { signal: stopped });
  assert.equal(routes.code, 130);
  assert.equal(routes.err, 'interrupted at simulated 10m of 24h (Ctrl-C): the tables at 10m');
  assert.match(routes.out, /^==== r1 at 10m ====$/m);
  const exec = await runCliAsync(['exec', 'anycast', 'r1', 'show ip route', '--at', '5h'], { signal: stopped });
  assert.equal(exec.code, 130);
  assert.equal(exec.err, 'interrupted at simulated 10m of 5h (Ctrl-C): "show ip route" did not run');
  assert.equal(exec.out, '');
  const dir = mkdtempSync(join(tmpdir(), 'anycast-lab-stepped-'));
  try {
    const pcap = join(dir, 'x.pcap');
    const capture = await runCliAsync(['capture', 'anycast', '--until', '1h', '--on', 'vboxnet1', '--out', pcap], { signal: stopped });
    assert.equal(capture.code, 130);
    assert.equal(capture.err, 'interrupted at simulated 10m of 1h (Ctrl-C)');
    const frames = Number(/^(\d+) frames from vboxnet1 until 10m written to /.exec(capture.out)?.[1]);
    assert.ok(frames > 0, capture.out);
    assert.ok(statSync(pcap).size > 24 + frames * 16);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // Not stopped: the same answer as in one go.
  const whole = await runCliAsync(['routes', 'anycast', '--at', '25m', '--json'], { signal: new AbortController().signal });
  assert.equal(whole.code, 0);
  const { runCli } = await import('./main');
  assert.equal(whole.out, runCli(['routes', 'anycast', '--at', '25m', '--json']).out);
});
