/**
 * The real lab on this machine: network namespaces, FRR 8.4 and BIND 9.18, with FRR `timers basic
 * 5 15 10`. Runs only as root where namespaces can be made and FRR, BIND and iputils are installed;
 * otherwise every test is skipped with the reason (realLabUnavailable). Each test uses its own
 * state file, so it never touches a lab someone else has up. About two minutes in all.
 *
 * Expected figures:
 * - TTLs: xenial3 reaches xenial1 through one router (64 − 1 = 63, write-up §2) and xenial2 through
 *   four (60, §4.3.5); before a failure the anycast address answers from the near server (63).
 * - Cold start: FRR ripd asks its neighbours at start and answers at once (ripd.c rip_request_send,
 *   triggered updates within 1–5 s, RFC 2453 §3.10.1), so a four-router path converges within a few
 *   update intervals of 5 s: we allow 30 s.
 * - Failover after a halt: r3 keeps the dead route until FRR's timeout (15 s) after xenial1's last
 *   update (sent every 5 s ± 50 % jitter, ripd.c rip_update_jitter), then takes r1's route at its next
 *   update or triggered update: outage > 5 s and < 15 + 5 + 5 s (timeout, one update interval, the
 *   triggered-update holdoff), answered by the far server afterwards (ttl 60).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { realLabUnavailable, isRunning } from './system';
import { readState, type RealState } from './state';

const CLI = join(__dirname, '..', 'cli', 'main.js');
const LAB = join(__dirname, '..', '..', 'data', 'labs', 'anycast');
const unavailable = realLabUnavailable();
const skip = unavailable === null ? false : `real lab unavailable: ${unavailable}`;

function cli(args: string[], timeoutMs = 120_000): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: timeoutMs });
  return { code: r.status ?? 128, out: r.stdout, err: r.stderr };
}

/** What of the machine a lab could leave behind: namespaces, root-namespace links, /etc/netns entries. */
function machineSnapshot(): { netns: string[]; rootLinks: string[]; etcNetns: string[] } {
  const links = spawnSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).stdout.split('\n').map((l) => l.split(':')[1]?.trim().split('@')[0] ?? '').filter((n) => n !== '');
  return { netns: existsSync('/run/netns') ? readdirSync('/run/netns').sort() : [], rootLinks: links.sort(), etcNetns: existsSync('/etc/netns') ? readdirSync('/etc/netns').sort() : [] };
}

/** Asserts that nothing of this state's lab is left: namespaces, processes, files, FRR crash logs. */
function assertGone(state: RealState, before: ReturnType<typeof machineSnapshot>): void {
  const after = machineSnapshot();
  assert.deepEqual(after.netns.filter((n) => n.startsWith(state.prefix)), [], 'namespaces left');
  assert.deepEqual(after.rootLinks.filter((l) => !before.rootLinks.includes(l)), [], 'links left in the root namespace');
  assert.deepEqual(after.etcNetns.filter((n) => n.startsWith(state.prefix)), [], '/etc/netns entries left');
  for (const p of state.processes) assert.equal(isRunning(p), false, `${p.role} of ${p.node} (pid ${p.pid}) still running`);
  for (const p of state.processes) if (p.role === 'zebra' || p.role === 'ripd') assert.equal(existsSync(`/var/tmp/frr/${p.role}.${p.pid}`), false, `FRR crash-log folder of ${p.role} ${p.pid} left`);
  assert.equal(existsSync(state.runDir), false, 'run folder left');
}

/** Polls (every 100 ms, at most `ms`) until `done`. */
async function until(done: () => boolean, ms: number): Promise<boolean> {
  for (let waited = 0; waited < ms; waited += 100) {
    if (done()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return done();
}

function tempState(): { dir: string; file: string } {
  const dir = mkdtempSync('/run/anycast-lab-test-');
  // FRR and named drop root: they must be able to reach their folders below this one.
  chmodSync(dir, 0o755);
  return { dir, file: join(dir, 'state.json') };
}

test('up, converge, TTLs, DNS through the anycast address, a halt and its failover, down: nothing left', { skip }, async () => {
  const { dir, file } = tempState();
  const before = machineSnapshot();
  let state: RealState | null = null;
  try {
    const up = cli(['real', 'up', LAB, '--anycast', '--state', file]);
    assert.equal(up.code, 0, up.err);
    state = readState(file)!;
    assert.equal(state.ripTimers, '5 15 10');
    assert.equal(state.processes.filter((p) => p.role === 'ripd').length, 6);
    assert.equal(state.processes.filter((p) => p.role === 'named').length, 2);
    const ping = (target: string): string => cli(['real', 'exec', 'xenial3', '--state', file, '--', 'ping', '-n', '-c', '1', '-W', '1', target]).out;
    assert.ok(await until(() => /ttl=60/.test(ping('10.128.6.2')), 30_000), 'xenial2 not reached through four routers within 30 s');
    assert.match(ping('10.128.5.2'), /ttl=63/);
    assert.match(ping('10.128.224.2'), /ttl=63/);
    const dig = cli(['real', 'exec', 'xenial3', '--state', file, '--', 'dig', '+short', '+tries=1', '+time=1', '@10.128.224.2', 'test.home']);
    assert.equal(dig.out.trim(), '10.128.1.1', 'the near server (xenial1) answers the anycast address');
    const rip = cli(['real', 'exec', 'r3', '--state', file, '--', 'vtysh', '-c', 'show ip rip']);
    assert.match(rip.out, /R\(n\) 10\.128\.224\.2\/32\s+10\.128\.5\.2\s+2/);
    const halt = cli(['real', 'fail', '--state', file, 'xenial1:halt']);
    assert.equal(halt.code, 0, halt.err);
    const haltedAt = Date.now();
    assert.ok(await until(() => /ttl=60/.test(ping('10.128.224.2')), 30_000), 'no failover to xenial2 within 30 s');
    const outage = (Date.now() - haltedAt) / 1000;
    assert.ok(outage > 5 && outage < 25, `failover after ${outage} s`);
    const status = cli(['real', 'status', '--state', file]);
    assert.match(status.out, /xenial1 .* failed: halt/);
  } finally {
    try {
      const down = cli(['real', 'down', '--state', file]);
      assert.equal(down.code, 0, down.err);
      if (state !== null) assertGone(state, before);
      assert.equal(existsSync(file), false, 'state file left');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

test('SIGKILL in the middle of up, then down: nothing left', { skip }, async () => {
  const { dir, file } = tempState();
  const before = machineSnapshot();
  try {
    const child = spawn(process.execPath, [CLI, 'real', 'up', LAB, '--anycast', '--state', file], { stdio: 'ignore' });
    const exited = new Promise((r) => child.once('exit', r));
    // Killed once it has made some namespaces and started some daemons, before it is done.
    const midway = await until(() => {
      const s = existsSync(file) ? readState(file) : null;
      return s !== null && s.processes.length >= 3 && s.upAtMs === null;
    }, 20_000);
    child.kill('SIGKILL');
    await exited;
    assert.ok(midway, 'up finished before it could be killed midway');
    const state = readState(file)!;
    assert.equal(state.upAtMs, null);
    assert.ok(state.namespaces.length > 0);
    const down = cli(['real', 'down', '--state', file]);
    assert.equal(down.code, 0, down.err);
    assertGone(state, before);
  } finally {
    try {
      cli(['real', 'down', '--state', file]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

test('SIGKILL in the middle of a failover experiment (probe running), then down: nothing left', { skip }, async () => {
  const { dir, file } = tempState();
  const before = machineSnapshot();
  try {
    const child = spawn(process.execPath, [CLI, 'real', 'failover', LAB, '--fail', 'xenial1:halt', '--runs', '1', '--state', file], { stdio: 'ignore' });
    const exited = new Promise((r) => child.once('exit', r));
    const probing = await until(() => {
      const s = existsSync(file) ? readState(file) : null;
      return s !== null && s.processes.some((p) => p.role === 'ping');
    }, 40_000);
    child.kill('SIGKILL');
    await exited;
    assert.ok(probing, 'the experiment did not reach its probe within 40 s');
    const state = readState(file)!;
    const down = cli(['real', 'down', '--state', file]);
    assert.equal(down.code, 0, down.err);
    assertGone(state, before);
  } finally {
    try {
      cli(['real', 'down', '--state', file]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

test('Ctrl-C in the middle of a failover experiment removes the lab before exiting', { skip }, async () => {
  const { dir, file } = tempState();
  const before = machineSnapshot();
  try {
    const child = spawn(process.execPath, [CLI, 'real', 'failover', LAB, '--fail', 'xenial1:halt', '--runs', '1', '--state', file], { stdio: 'ignore' });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const up = await until(() => {
      const s = existsSync(file) ? readState(file) : null;
      return s !== null && s.upAtMs !== null;
    }, 20_000);
    const state = readState(file)!;
    child.kill('SIGINT');
    assert.equal(await exited, 130);
    assert.ok(up, 'the experiment did not bring its lab up within 20 s');
    assertGone(state, before);
    assert.equal(existsSync(file), false, 'state file left');
  } finally {
    try {
      cli(['real', 'down', '--state', file]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

test('down, status and exec with nothing up say so', { skip }, () => {
  const { dir, file } = tempState();
  try {
    assert.equal(cli(['real', 'down', '--state', file]).out.trim(), `no real lab to remove (no state file ${file})`);
    const status = cli(['real', 'status', '--state', file]);
    assert.match(status.out, /no real lab is up/);
    const exec = cli(['real', 'exec', 'xenial3', '--state', file, '--', 'true']);
    assert.equal(exec.code, 1);
    assert.match(exec.err, /^error: no real lab is up/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
