/**
 * An experiment is checked against its labs before the first run (lib/sweep/check.ts): each mistake
 * that used to show only when its job started (`job 0 (point 0, run 0): --fail ...`) is reported up
 * front, all at once, at the line of the value that brought it, by the loader, `runExperiment()` and
 * `anycast-lab sweep` alike.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LabFileError } from '../config/errors';
import { labPath } from '../config/paths';
import { loadExperiment, parseExperiment, runExperiment, sweep } from '.';
import { runCliAsync } from '../cli/main';

const dir = mkdtempSync(join(tmpdir(), 'anycast-check-'));

function experimentFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** The lines of the LabFileError that loading `file` throws, with the temp folder cut off. */
function problemsOf(file: string): string[] {
  try {
    loadExperiment(file);
  } catch (e) {
    assert.ok(e instanceof LabFileError, String(e));
    return e.message.split('\n').map((l) => l.replaceAll(dir + '/', ''));
  }
  assert.fail(`${file} was accepted`);
}

const NODES = '(nodes: r1, r2, r3, r4, xenial1, xenial2, xenial3, xenial4)';
const HOSTS = '(Linux hosts: xenial1, xenial2, xenial3, xenial4)';

test('each mistake found before the first run, at the line of its value', () => {
  const one = (name: string, body: string): string[] => problemsOf(experimentFile(`${name}.yml`, `name: ${name}\nlab: anycast\n${body}runs: 1\n`));
  // The three, and a client and a target the lab does not have.
  assert.deepEqual(one('no-node', 'baseline:\n  at: 2m\n  fail: xenial9:named-stop\n'), [`no-node.yml:5: baseline.fail: no node "xenial9" in lab anycast ${NODES}`]);
  assert.deepEqual(problemsOf(experimentFile('etc.yml', 'name: etc\nlab: /etc\n')), ['etc.yml:2: lab: "/etc" is not a lab: no topology file: expected topology.clab.yml (or *.clab.yml, topology.yml) in /etc']);
  assert.deepEqual(one('iface', 'vary:\n  fail: [xenial1:halt, "r3:Ethernet9/9:link-down"]\n'), ['iface.yml:4: vary.fail[1]: r3 has no interface "Ethernet9/9" (it has Ethernet0/0, Ethernet0/1, Ethernet0/2)']);
  assert.deepEqual(one('client', 'baseline:\n  client: xenial7\n'), [`client.yml:4: baseline.client: no node "xenial7" in lab anycast ${HOSTS}`]);
  assert.deepEqual(one('router', 'baseline:\n  client: r1\n'), [`router.yml:4: baseline.client: r1 is a router of lab anycast; the client pings and looks names up from a Linux host ${HOSTS}`]);
  assert.deepEqual(one('target', 'baseline:\n  target: 10.9.9.9\n'), ['target.yml:4: baseline.target: no interface in lab anycast has the address 10.9.9.9']);
  // The anycast address exists only with do_anycast: the options in force are named.
  assert.deepEqual(one('no-anycast', 'baseline:\n  options: { do_anycast: false }\n'), ['no-anycast.yml:2: target (default): no interface in lab anycast has the address 10.128.224.2 (lab options: do_anycast=false)']);
  assert.deepEqual(one('option', 'vary:\n  options:\n    - { do_anycast: true }\n    - { do_anycats: true }\n'), ['option.yml:6: vary.options[1]: lab anycast declares no option "do_anycats" (declared: do_anycast, allow_recursion, bind_before_lo0)']);
  // What a failure mode needs of its node: a daemon, an alias to withdraw.
  assert.deepEqual(one('modes', 'vary:\n  fail: [xenial3:ripd-stop, xenial4:named-stop]\n'), [
    'modes.yml:4: vary.fail[0]: xenial3 does not run ripd (its lab files configure no RIP: no router rip, no ripd.conf)',
    'modes.yml:4: vary.fail[1]: xenial4 does not run named (its setup installs no bind9)',
  ]);
  assert.deepEqual(one('drain', 'measure: lookups\nbaseline:\n  fail: xenial1:drain=10s\n'), ['drain.yml:5: baseline.fail: xenial1 has no alias on its loopback (such as lo:0) to withdraw']);
});

test('every problem at once, in line order, each once; a varied lab is checked with its own nodes', () => {
  const file = experimentFile(
    'many.yml',
    `name: many
lab: anycast
baseline:
  fail: xenial9:named-stop
  client: xenial7
  target: 10.9.9.9
vary:
  lab: [anycast, anycast-3site, /etc]
  profile: [cisco-ios, frr]
runs: 3
`,
  );
  assert.deepEqual(problemsOf(file), [
    `many.yml:4: baseline.fail: no node "xenial9" in lab anycast ${NODES}`,
    'many.yml:4: baseline.fail: no node "xenial9" in lab anycast-3site (nodes: r1, r2, r3, r4, r5, xenial1, xenial2, xenial5, xenial3, xenial4, xenial6)',
    `many.yml:5: baseline.client: no node "xenial7" in lab anycast ${HOSTS}`,
    'many.yml:5: baseline.client: no node "xenial7" in lab anycast-3site (Linux hosts: xenial1, xenial2, xenial5, xenial3, xenial4, xenial6)',
    'many.yml:6: baseline.target: no interface in lab anycast has the address 10.9.9.9',
    'many.yml:6: baseline.target: no interface in lab anycast-3site has the address 10.9.9.9',
    'many.yml:8: vary.lab[2]: "/etc" is not a lab: no topology file: expected topology.clab.yml (or *.clab.yml, topology.yml) in /etc',
  ]);
});

test("a lab of one's own: the defaults it lacks at the lab's line, its own problems with their file:line", () => {
  const labs = join(dir, 'labs');
  mkdirSync(join(labs, 'pair'), { recursive: true });
  writeFileSync(join(labs, 'pair', 'topology.clab.yml'), 'name: pair\ntopology:\n  nodes: { a: { kind: linux }, b: { kind: linux } }\n  links: [ { endpoints: ["a:eth1", "b:eth1"] } ]\n');
  mkdirSync(join(labs, 'broken'));
  writeFileSync(join(labs, 'broken', 'topology.clab.yml'), 'name: broken\nx-sim: { processing-delay: 2ms..4294967295ms }\ntopology:\n  nodes: { a: { kind: linux } }\n');
  const file = join(labs, 'exp.yml');
  writeFileSync(file, 'name: mine\nlab: pair\nmeasure: lookups\nvary:\n  lab: [pair, broken]\n');
  assert.deepEqual(problemsOf(file), [
    'labs/exp.yml:5: fail (default): no node "xenial1" in lab pair (nodes: a, b)',
    'labs/exp.yml:5: client (default): no node "xenial3" in lab pair (Linux hosts: a, b)',
    'labs/exp.yml:5: vary.lab[1]: the lab "broken" does not load (1 problem below)',
    'broken/topology.clab.yml:2:28: x-sim.processing-delay: expected a delay from 0s to 10s, got "2ms..4294967295ms"',
  ]);
  // The measure's default options need an option the lab does not declare.
  writeFileSync(file, 'name: mine\nlab: pair\nbaseline: { fail: "a:halt", client: b }\n');
  assert.deepEqual(problemsOf(file), ['labs/exp.yml:2: lab: lab pair declares no option do_anycast, which measure failover sets by default (declared: none); give the options to use, e.g. options: {}']);
});

test('runExperiment() and anycast-lab sweep check before the first run; a correct experiment still runs', async () => {
  const bad = { name: 'bad', lab: 'anycast', baseline: { fail: 'xenial9:named-stop', runFor: '1m' }, runs: 2 };
  await assert.rejects(runExperiment(bad, { workers: 0 }), (e: unknown) => e instanceof LabFileError && e.message === `experiment: baseline.fail: no node "xenial9" in lab anycast ${NODES}`);
  const file = experimentFile('cli-bad.yml', 'name: cli-bad\nlab: anycast\nbaseline:\n  runFor: 1m\nvary:\n  fail: [xenial1:halt, "r3:Ethernet9/9:link-down", xenial9:named-stop]\nruns: 2\n');
  await assert.rejects(runExperiment(file, { workers: 0 }), /cli-bad\.yml:6: vary\.fail\[1\]: r3 has no interface "Ethernet9\/9"/);
  const out = join(dir, 'cli-bad.csv');
  const r = await runCliAsync(['sweep', file, '--out', out, '--workers', '0']);
  assert.equal(r.code, 2);
  assert.deepEqual(r.err.split('\n').map((l) => l.replaceAll(dir + '/', '')), [
    'error: cli-bad.yml:6: vary.fail[1]: r3 has no interface "Ethernet9/9" (it has Ethernet0/0, Ethernet0/1, Ethernet0/2)',
    `cli-bad.yml:6: vary.fail[2]: no node "xenial9" in lab anycast ${NODES}`,
  ]);
  assert.doesNotMatch(r.err, /--fail|job \d/);
  assert.equal(existsSync(out), false, 'nothing ran, nothing written');
  // A correct one runs as before (a drain: the far route within one update and a holdoff, sweep.test.ts).
  const rows = await runExperiment({ name: 'good', lab: 'anycast', baseline: { fail: 'xenial1:drain=10s', client: 'xenial3', runFor: '1m' }, runs: 1, seed: 2 }, { workers: 0 });
  assert.equal(rows.length, 1);
  assert.ok(typeof rows[0]!['outageSeconds'] === 'number' && rows[0]!['outageSeconds'] <= 30 + 5 + 1, `drain: ${rows[0]!['outageSeconds']}`);
  // What the check cannot see (here: an experiment changed after it was checked) still names its
  // job, and says fail:, as the file does, not the command line's --fail.
  const changed = parseExperiment({ name: 'changed', lab: 'anycast', baseline: { runFor: '1m' } }, 'changed', dir);
  changed.points[0]!.setup.fail = 'xenial9:halt';
  await assert.rejects(sweep(changed, { workers: 0 }), /^SweepError: job 0 \(point 0, run 0\): fail: xenial9:halt@2m[\d.]*s: no node "xenial9" in lab anycast/);
});

test("the project's experiments pass the check, with the grid they had", () => {
  const folder = join(labPath('anycast'), 'experiments');
  const points = Object.fromEntries(readdirSync(folder).filter((f) => f.endsWith('.yml')).sort().map((f) => [f, loadExperiment(join(folder, f)).points.length]));
  assert.deepEqual(points, { 'cisco-1000.yml': 1, 'graceful.yml': 4, 'health-check.yml': 12, 'passive-drain.yml': 2, 'resolvers.yml': 12, 'sites.yml': 12, 'timers.yml': 4 });
});

test('an experiment whose probes would be too many per run is refused before the first run, at the line of its interval', () => {
  const file = experimentFile('budget.yml', 'name: budget\nlab: anycast\nmeasure: failover\nbaseline:\n  fail: xenial1:halt\n  probeInterval: 1ms\n  runFor: 10m\nruns: 2\nseed: 1\n');
  assert.deepEqual(problemsOf(file), ['budget.yml:6: baseline.probeInterval: probeInterval 1ms over 10m20s sends 620001 probes, at most 100000 per run: a longer probeInterval or a shorter runFor']);
});
