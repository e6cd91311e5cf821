/**
 * The frr-statics lab (data/labs/frr-statics): FRR 8.4's static routes, blackholes, redistribution,
 * distance, offset-lists and a stub network, against a real FRR 8.4.4 run of the same configurations
 * (data/labs/frr-statics/real-frr-8.4/, recorded as its README says). The simulated `show ip route`,
 * `show ip rip`, `show ip rip status` and `ip route` must be the real ones line for line once the
 * ages and countdowns (which depend on when each was typed) are masked.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { minutes } from '../sim/time';
import { Lab } from '../lab/lab';
import { loadLab } from '../config/load';
import { tempLab } from '../config/test-support';

const LAB_DIR = join(__dirname, '..', '..', 'data', 'labs', 'frr-statics');
const REAL = join(LAB_DIR, 'real-frr-8.4');

/** Masks what depends on the moment a command ran: ages, timers, "next due", and iproute2's nexthop ids. */
function masked(text: string): string {
  return text
    .replace(/\b\d\d:\d\d:\d\d\b/g, 'HH:MM:SS')
    .replace(/ \d\d:\d\d$/gm, ' MM:SS')
    .replace(/next due in \d+ seconds/g, 'next due in N seconds')
    .replace(/nhid \d+ /g, '')
    .trimEnd();
}

function real(file: string): string {
  return masked(readFileSync(join(REAL, file), 'utf8'));
}

let converged: Lab | null = null;
/** The lab three minutes after boot: RIP has converged (two update rounds and the triggered updates). */
function lab(): Lab {
  converged ??= Lab.load(LAB_DIR).runUntil(minutes(3));
  return converged;
}

for (const node of ['ra', 'rb']) {
  for (const command of ['show ip route', 'show ip rip', 'show ip rip status']) {
    test(`${node}: "${command}" is the real FRR 8.4 one (real-frr-8.4/${node}.${command.replace(/ /g, '-')}.txt)`, () => {
      const simulated = masked(lab().exec(node, `vtysh -c "${command}"`));
      assert.equal(simulated, real(`${node}.${command.replace(/ /g, '-')}.txt`));
    });
  }
  test(`${node}: "ip route" is the kernel's table on the real run (real-frr-8.4/${node}.ip-route.txt)`, () => {
    assert.equal(masked(lab().exec(node, 'ip route')), real(`${node}.ip-route.txt`));
  });
}

test('the stub network: one port on its switch, a connected route on ra, announced by RIP (rb: metric 2, as the real run)', () => {
  const spec = loadLab(LAB_DIR);
  const stub = spec.segments.find((s) => s.name === 'stub')!;
  assert.equal(stub.kind, 'lan');
  assert.deepEqual(stub.endpoints, [{ node: 'ra', iface: 'eth2' }]);
  assert.match(lab().exec('ra', 'vtysh -c "show ip route"'), /^C>\* 10\.5\.0\.0\/24 is directly connected, eth2, /m);
  assert.match(lab().exec('rb', 'vtysh -c "show ip rip"'), /^R\(n\) 10\.5\.0\.0\/24 +10\.0\.0\.1 +2 10\.0\.0\.1 /m);
});

test('a reject route answers with a host unreachable, a blackhole drops in silence (real-frr-8.4/rb.ping-*.txt)', () => {
  const reject = lab().exec('rb', 'ping -c 1 -W 1 10.6.0.1');
  const blackhole = lab().exec('rb', 'ping -c 1 -W 1 10.7.0.1');
  // The real run: "From 10.0.0.1 icmp_seq=1 Destination Host Unreachable" through ra's `ip route 10.6.0.0/16 reject`.
  assert.match(real('rb.ping-reject.txt'), /From 10\.0\.0\.1 icmp_seq=1 Destination Host Unreachable/);
  assert.match(reject, /From 10\.0\.0\.1 icmp_seq=1 Destination Host Unreachable/);
  // The real run: no answer at all through `ip route 10.7.0.0/16 blackhole`.
  assert.match(real('rb.ping-blackhole.txt'), /1 packets transmitted, 0 received, 100% packet loss/);
  assert.match(blackhole, /1 packets transmitted, 0 received, 100% packet loss/);
  assert.doesNotMatch(blackhole, /From /);
});

test('default-metric and default-information originate on rb: what ra learns (a real FRR 8.4.4 run, rb given both lines live)', () => {
  const files: Record<string, string> = {};
  for (const f of readdirSync(LAB_DIR)) if (f !== 'real-frr-8.4') files[f] = readFileSync(join(LAB_DIR, f), 'utf8');
  files['rb.frr.conf'] = files['rb.frr.conf']!.replace(' redistribute static\n', ' redistribute static\n default-metric 5\n default-information originate\n');
  const t = tempLab(files, 'frr-statics');
  try {
    const rip = Lab.load(t.dir).runUntil(minutes(3)).exec('ra', 'vtysh -c "show ip rip"');
    const rows = rip.split('\n').filter((l) => l.startsWith('R(n)')).map((l) => l.replace(/ \d\d:\d\d$/, ''));
    // The real run's ra, after rb's "default-metric 5" and "default-information originate":
    assert.deepEqual(rows, [
      'R(n) 0.0.0.0/0          10.0.0.2              2 10.0.0.2          0', // R(d) sent at metric 1
      'R(n) 10.4.0.0/16        10.0.0.2              6 10.0.0.2          0', // S(r) sent at the default-metric, 5
      'R(n) 10.12.0.0/16       10.0.0.2              6 10.0.0.2          0',
      'R(n) 10.13.0.0/16       10.0.0.2              8 10.0.0.2          0', // 5 + offset-list in 3, no interface cost
      'R(n) 10.14.0.0/16       10.0.0.2              6 10.0.0.2          0',
    ]);
  } finally {
    t.done();
  }
});
