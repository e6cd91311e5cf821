/**
 * ripd's interface commands for versions, read as FRR 8.4's ripd/rip_cli.c declares them:
 * "ip rip send version <{1$v1|2$v2}|none>", "ip rip receive version <{1$v1|2$v2}|none>" and their
 * `no` forms. The first configuration is the one real FRR 8.4.4 ran in data/real/frr84-rip-rules
 * (s4, whose `show ip rip status` lists a-1 with "Send 1 2, Recv none").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRipdConf } from '../frr';
import { errorOf } from '../test-support';

const REAL = join(__dirname, '..', '..', '..', 'data', 'real', 'frr84-rip-rules');

test('ip rip send version 1 2 / receive version none, as the real run configured a-1', () => {
  const text = readFileSync(join(REAL, 's4-ripd.conf'), 'utf8');
  const r = parseRipdConf(text, 'frr84-rip-rules/s4-ripd.conf');
  const a1 = r.rip!.interfaces.find((i) => i.name === 'a-1')!;
  // What ripd printed for a-1 in `show ip rip status` (Send, Recv columns).
  const row = /^\s+a-1\s+(\S+(?: \S+)?)\s{2,}(\S+(?: \S+)?)\s/m.exec(readFileSync(join(REAL, 's4-show.txt'), 'utf8'))!;
  const spell = (vs: readonly number[]) => (vs.length === 0 ? 'none' : vs.join(' '));
  assert.equal(spell(a1.sendVersion!.value), row[1]);
  assert.equal(spell(a1.receiveVersion!.value), row[2]);
  assert.deepEqual(r.findings.filter((f) => f.severity === 'unsupported'), []);
});

test('versions in either order, abbreviated keywords, and no returns to the router version', () => {
  const r = parseRipdConf('interface eth1\n ip rip send version 2 1\n ip rip rec ver 2\n no ip rip send version\nrouter rip\n network eth1\n', 'x/ripd.conf');
  const eth1 = r.rip!.interfaces[0]!;
  assert.equal(eth1.sendVersion, null);
  assert.deepEqual(eth1.receiveVersion?.value, [2]);
  assert.equal(eth1.receiveVersion?.source.line, 3);
});

test('a version ripd does not have is an error naming the line', () => {
  for (const bad of ['ip rip send version 3', 'ip rip receive version', 'ip rip send version none 2', 'ip rip send version 1 2 1']) {
    const e = errorOf(() => parseRipdConf(`interface eth1\n ${bad}\nrouter rip\n`, 'x/ripd.conf'));
    assert.match(e.message, /^x\/ripd\.conf:2: expected "ip rip (send|receive) version 1", "2", "1 2" or "none"/, bad);
  }
});

test('passive-interface lists keep what differs from the default, as ripd/rip_cli.c does', () => {
  const rip = (body: string) => parseRipdConf(`router rip\n network 10.0.0.0/8\n${body}`, 'x/ripd.conf').rip!;
  // Without the default, "no passive-interface" takes the interface off the passive list.
  const plain = rip(' passive-interface eth1\n passive-interface eth2\n no passive-interface eth1\n');
  assert.deepEqual(plain.passiveInterfaces.map((p) => p.value), ['eth2']);
  assert.deepEqual(plain.nonPassiveInterfaces, []);
  // Under the default it lists the exception, and "passive-interface" takes the exception off again.
  const byDefault = rip(' passive-interface default\n no passive-interface eth1\n no passive-interface eth2\n passive-interface eth2\n');
  assert.ok(byDefault.passiveDefault !== null);
  assert.deepEqual(byDefault.nonPassiveInterfaces.map((p) => [p.value, p.source.line]), [['eth1', 4]]);
});

test('allow-reserved-ranges is global and leaves ripd 8.4 refusing reserved destinations; ip split-horizon is not ripd grammar', () => {
  // s2 wrote it inside router rip; FRR 8.4.4's `show running-config` put it at the top level.
  const s2 = readFileSync(join(REAL, 's2-show.txt'), 'utf8');
  const running = s2.slice(s2.indexOf('# show running-config'));
  assert.ok(running.indexOf('\nallow-reserved-ranges\n') < running.indexOf('\nrouter rip\n'));
  const r = parseRipdConf(readFileSync(join(REAL, 's2-ripd.conf'), 'utf8'), 's2-ripd.conf');
  const f = r.findings.find((x) => x.message.includes('allow-reserved-ranges'))!;
  assert.equal(f.severity, 'note');
  assert.match(f.message, /rip_destination_check/);
  // `ripd --dryrun` (FRR 8.4.4): "No such command on config line 2:  ip split-horizon poisoned-reverse".
  const sh = parseRipdConf('interface eth1\n ip split-horizon poisoned-reverse\nrouter rip\n network eth1\n', 'x/ripd.conf');
  assert.deepEqual(sh.findings.map((x) => [x.severity, x.source.line]), [['ignored', 2]]);
  assert.deepEqual(sh.rip!.interfaces, []);
});
