/**
 * `--frr-version` (and an experiment's `frrVersion`, the topology's `x-sim.frr-version`) reaches every
 * command that loads a lab: check, doctor, exec, routes, failover (one run and --runs), sweep, and the
 * real lab's loading.
 *
 * The lab: the write-up's, with xenial1's routing files under /etc/frr and its ripd given `allow-ecmp 2`. Where each expectation comes from:
 * - FRR 8.4 has `allow-ecmp` without a count; real FRR 8.4.4 refuses "allow-ecmp 2" (`ripd --dryrun`,
 *   lib/config/frr-version.test.ts), so read as 8.4 the lab does not load, naming the line;
 * - FRR 9.0 and later declare "allow-ecmp [(1-MULTIPATH_NUM)]" (ripd/rip_cli.c, pull request 13430),
 *   so read as 10.2 it loads, and runs as the write-up's lab does: one path per prefix is all its
 *   neighbours offer xenial1, so the 241 s outage of the golden anycast.failover-halt stays.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { runCli, runCliAsync } from './main';
import { RealLabError } from '../real/system';
import { loadRealSpec } from '../real/lab';

const ANYCAST = join(__dirname, '..', '..', 'data', 'labs', 'anycast');
const FRR_VERSIONS = join(__dirname, '..', '..', 'data', 'labs', 'frr-versions');
const REFUSED = /setup\.xenial1\.sh:\d+: "allow-ecmp 2": FRR 8\.4 has "allow-ecmp" without a count/;

/** The anycast lab copied, xenial1 running FRR (/etc/frr) with `allow-ecmp 2` after its `router rip` line. */
function tenLab(): { root: string; dir: string; done: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'anycast-lab-frrver-'));
  const dir = join(root, 'anycast');
  cpSync(ANYCAST, dir, { recursive: true });
  const path = join(dir, 'setup.xenial1.sh');
  // FRR's folder, not Quagga's: Quagga 0.99's files are read with 8.4's grammar whatever the release.
  const frr = readFileSync(path, 'utf8').replace(/\/etc\/quagga\//g, '/etc/frr/').replace('apt-get -y install quagga', 'apt-get -y install frr');
  writeFileSync(path, frr.replace(/^router rip$/m, 'router rip\n  allow-ecmp 2'));
  return { root, dir, done: () => rmSync(root, { recursive: true, force: true }) };
}

test('check and doctor read the lab as --frr-version says: refused as 8.4 (the default), loaded as 10.2', () => {
  const lab = tenLab();
  try {
    for (const command of ['check', 'doctor']) {
      const as84 = runCli([command, lab.dir, '--anycast']);
      assert.notEqual(as84.code, 0, command);
      assert.match(as84.err, REFUSED, command);
      const as10 = runCli([command, lab.dir, '--anycast', '--frr-version', '10.2']);
      assert.equal(as10.code, 0, `${command}: ${as10.err}`);
    }
    // A release the simulator does not read is the option's mistake, in the parameter's words.
    const bad = runCli(['check', lab.dir, '--frr-version', '7.5']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--frr-version: FRR 7\.5 is not a release the simulator reads: expected 8\.x, 9\.x or 10\.x/);
  } finally {
    lab.done();
  }
});

test('exec and routes load the lab with --frr-version', () => {
  const lab = tenLab();
  try {
    assert.match(runCli(['routes', lab.dir, '--anycast', '--at', '1m']).err, REFUSED);
    const routes = runCli(['routes', lab.dir, '--anycast', '--at', '1m', '--frr-version', '10.2', '--json']);
    assert.equal(routes.code, 0, routes.err);
    assert.ok((JSON.parse(routes.out) as { node: string }[]).some((r) => r.node === 'xenial1'));
    assert.match(runCli(['exec', lab.dir, 'xenial3', 'ping -c 1 10.128.224.2', '--anycast']).err, REFUSED);
    const ping = runCli(['exec', lab.dir, 'xenial3', 'ping -c 1 10.128.224.2', '--anycast', '--frr-version', '10.2']);
    assert.equal(ping.code, 0, ping.err);
    assert.match(ping.out, /1 packets transmitted, 1 received/);
  } finally {
    lab.done();
  }
});

test('failover, one run and --runs, loads the lab with --frr-version (the golden outage of the write-up lab stays)', () => {
  const lab = tenLab();
  try {
    const args = ['failover', lab.dir, '--fail', 'xenial1:halt', '--at', '125s'];
    assert.match(runCli(args).err, REFUSED);
    const one = runCli([...args, '--frr-version', '10.2', '--json']);
    assert.equal(one.code, 0, one.err);
    // lib/golden anycast.failover-halt: 241 s (last reply 124 s, first 365 s).
    assert.equal((JSON.parse(one.out) as { outageSeconds: number }).outageSeconds, 241);
    assert.match(runCli([...args, '--runs', '2']).err, REFUSED);
    const runs = runCli([...args, '--runs', '2', '--until', '5m', '--frr-version', '10.2', '--json']);
    assert.equal(runs.code, 0, runs.err);
    assert.equal((JSON.parse(runs.out) as { runs: unknown[] }).runs.length, 2);
  } finally {
    lab.done();
  }
});

test('sweep: an experiment\'s frrVersion reaches its check and its runs; without it the lab is refused at its line', async () => {
  const lab = tenLab();
  try {
    const experiment = (extra: string): string => {
      const file = join(lab.root, `exp${extra === '' ? '' : '-10'}.yml`);
      writeFileSync(file, `name: frrver\nlab: anycast\nmeasure: failover\nbaseline:\n  fail: xenial1:halt\n  at: 125s\n  runFor: 4m\n${extra}runs: 1\nseed: 1\n`);
      return file;
    };
    const refused = await runCliAsync(['sweep', experiment(''), '--workers', '0', '--out', join(lab.root, 'a.csv')]);
    assert.notEqual(refused.code, 0);
    assert.match(refused.err, REFUSED);
    const ok = await runCliAsync(['sweep', experiment('  frrVersion: "10.2"\n'), '--workers', '0', '--out', join(lab.root, 'b.csv')]);
    assert.equal(ok.code, 0, ok.err);
    const rows = readFileSync(join(lab.root, 'b.csv'), 'utf8').trim().split('\n');
    assert.equal(rows.length, 2, rows.join('\n'));
    const header = rows[0]!.split(',');
    const row = rows[1]!.split(',');
    const cell = (name: string): number => Number(row[header.indexOf(name)]);
    // The instant is drawn over the lab's update interval (ripd's 30 s) from 125 s; the outage is
    // the write-up's kind: minutes (the golden single run, halted at 125 s, is 241 s).
    assert.ok(cell('failureAtSeconds') >= 125 && cell('failureAtSeconds') < 155, rows[1]);
    assert.ok(cell('outageSeconds') > 60 && cell('outageSeconds') < 300, rows[1]);
  } finally {
    lab.done();
  }
});

test('real: the lab is read with --frr-version, and a node read as another release than 8.x is refused before any namespace', () => {
  const lab = tenLab();
  const refusedAs = (re: RegExp, kind: 'real' | 'file' = 'real') => (e: unknown) => e instanceof Error && (kind === 'file' || e instanceof RealLabError) && re.test(e.message);
  try {
    assert.throws(() => loadRealSpec(lab.dir, { do_anycast: true }, undefined), refusedAs(REFUSED, 'file'));
    assert.throws(() => loadRealSpec(lab.dir, { do_anycast: true }, '10.2'), refusedAs(/^xenial1: its FRR files are read as FRR 10\.2 \(the lab's setting\); the real lab runs the installed FRR 8\.4/));
    // frr-versions: r2's frr.conf says `frr version 10.2` on its first line, whatever the option says.
    assert.throws(() => loadRealSpec(FRR_VERSIONS, {}, '8.4'), refusedAs(/^r2: its FRR files are read as FRR 10\.2 \(frr-versions\/r2\.frr\.conf:1\)/));
    // The command line refuses a release the namespaces cannot run before it looks at the lab.
    const r = spawnSync(process.execPath, [join(__dirname, 'main.js'), 'real', 'up', lab.dir, '--frr-version', '10.2'], { encoding: 'utf8' });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /--frr-version: the real lab runs the installed FRR 8\.4, got "10\.2"/);
  } finally {
    lab.done();
  }
});
