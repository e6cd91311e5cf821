/**
 * BFD for RIP in a whole lab (data/labs/anycast-bfd, FRR 10): s1 and s2 announce the anycast
 * address 10.14.224.2/32, each with `ip rip bfd` towards its router, profile `fast` on the routers
 * (300 ms / 300 ms / 3, FRR bfdd's defaults too).
 *
 * Where the expected figures come from:
 * - detection time: RFC 5880 §6.8.4, remote Detect Mult × max(local Required Min RX, remote Desired
 *   Min TX) = 3 × 300 ms = 900 ms after the last packet r1 took from s1;
 * - the drop at that instant: ripd/rip_bfd.c rip_bfd_session_change (BFD Down after Up →
 *   rip_peer_delete_routes), instead of RIP's 180 s timeout (RFC 2453 3.8, FRR's default);
 * - `show bfd peers json` keys: bfdd/bfdd_vty.c __display_peer_json, in its order, for an Up,
 *   single-hop, dynamic session with a profile;
 * - log texts: bfdd/bfd.c ptm_bfd_sess_up/ptm_bfd_sess_dn ("state-change: [%s] %s -> %s"),
 *   ripd/rip_bfd.c ("%s: peer %pI4: BFD Down").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { minutes, seconds } from '../sim/time';
import { loadLab, loadLabFiles } from '../config/load';
import { memoryLabFiles } from '../config/lab-files';
import { parseFrrConf } from '../config/frr';
import { Lab } from './lab';
import { bfdDaemonOf } from '../net/bfd-daemon';
import { BFD_UP } from '../wire/bfd';

const LAB_DIR = join(__dirname, '..', '..', 'data', 'labs', 'anycast-bfd');
const ANYCAST = '10.14.224.2/32';

test('a halted server: r1 drops its route 3 × 300 ms after s1 last spoke, not 180 s later', () => {
  const lab = new Lab(loadLab(LAB_DIR));
  lab.runUntil(minutes(1));
  const session = bfdDaemonOf(lab.node('r1'))!.peers.find((p) => p.peer === 0x0a0e0102)!.session;
  assert.equal(session.state, BFD_UP);
  lab.fail('s1:halt@2m');
  lab.runUntil(minutes(2) + seconds(5));
  const invalid = lab.routeLog.first({ node: 'r1', prefix: ANYCAST, event: 'invalid', from: minutes(2) });
  assert.ok(invalid !== undefined, 'r1 never gave up the route through s1');
  assert.equal(invalid.t, session.lastRxAt + 900_000);
  assert.ok(invalid.t > minutes(2) && invalid.t <= minutes(2) + 900_000, `dropped at ${invalid.t} µs`);
  assert.equal(lab.routeLog.lost('r1', ANYCAST, minutes(2)), invalid.t, 'out of the forwarding table at the same instant');
  // RIP alone would keep it until 180 s after s1's last update.
  const spec = loadLab(LAB_DIR);
  for (const n of spec.nodes) if (n.frr !== undefined) n.frr.bfd = [];
  const plain = new Lab(spec);
  plain.fail('s1:halt@2m');
  plain.runUntil(minutes(6));
  const lost = plain.routeLog.lost('r1', ANYCAST, minutes(2))!;
  assert.ok(lost - minutes(2) > seconds(150), `without BFD the route went after ${(lost - minutes(2)) / 1e6} s`);
});

test('show bfd peers json: FRR\'s field names in __display_peer_json\'s order; text as _display_peer', () => {
  const lab = new Lab(loadLab(LAB_DIR));
  const json = JSON.parse(lab.exec('r1', 'vtysh -c "show bfd peers json"', { at: '1m' })) as Record<string, unknown>[];
  assert.equal(json.length, 1);
  assert.deepEqual(Object.keys(json[0]!), [
    'multihop', 'peer', 'vrf', 'interface', 'id', 'remote-id', 'passive-mode', 'status', 'uptime', 'diagnostic', 'remote-diagnostic', 'type', 'profile',
    'receive-interval', 'transmit-interval', 'echo-receive-interval', 'echo-transmit-interval', 'detect-multiplier',
    'remote-receive-interval', 'remote-transmit-interval', 'remote-echo-receive-interval', 'remote-detect-multiplier', 'rtt-min', 'rtt-avg', 'rtt-max',
  ]);
  const p = json[0]!;
  assert.deepEqual([p['peer'], p['interface'], p['status'], p['type'], p['profile'], p['diagnostic']], ['10.14.1.2', 'eth2', 'up', 'dynamic', 'fast', 'ok']);
  assert.deepEqual([p['receive-interval'], p['transmit-interval'], p['detect-multiplier'], p['remote-detect-multiplier']], [300, 300, 3, 3]);
  const text = lab.exec('r1', 'vtysh -c "show bfd peers"');
  assert.match(text, /^BFD Peers:\n\tpeer 10\.14\.1\.2 vrf default interface eth2\n\t\tID: \d+\n\t\tRemote ID: \d+\n\t\tActive mode\n\t\tStatus: up\n\t\tUptime: 5\d second\(s\)\n/);
  assert.match(text, /\t\tLocal timers:\n\t\t\tDetect-multiplier: 3\n\t\t\tReceive interval: 300ms\n\t\t\tTransmission interval: 300ms\n/);
});

test("ripd's and bfdd's log: the file log file names, with FRR's texts under debug rip events / debug bfd peer", () => {
  const lab = new Lab(loadLab(LAB_DIR));
  lab.fail('s1:halt@2m');
  const log = lab.exec('r1', 'cat /var/log/frr/frr.log', { at: '2m5s' }).split('\n');
  assert.ok(log.includes('1970/01/01 00:02:00 RIP: rip_bfd_session_change: peer 10.14.1.2: BFD Down'), log.join('\n'));
  assert.ok(log.includes('1970/01/01 00:02:00 BFD: state-change: [mhop:no peer:10.14.1.2 local:0.0.0.0 vrf:default ifname:eth2] up -> down reason:control-expired'));
  assert.ok(log.some((l) => /RIP: rip_bfd_session_change: peer 10\.14\.1\.2: BFD Up$/.test(l)));
  assert.equal(lab.exec('r1', 'tail -n 1 /var/log/frr/frr.log'), '1970/01/01 00:02:00 RIP: rip_bfd_session_change: peer 10.14.1.2: BFD Down\n');
  assert.match(lab.exec('r1', 'vtysh -c "show logging"'), /^File logging: level debugging, filename \/var\/log\/frr\/frr\.log$/m);
});

test('FRR 8.4 refuses ip rip bfd and names the releases that have it; the bfd node reads profiles and ranges', () => {
  const text = readFileSync(join(LAB_DIR, 'r1.frr.conf'), 'utf8').replace('frr version 10.2', 'frr version 8.4.4');
  assert.throws(() => parseFrrConf(text, 'r1.frr.conf'), /r1\.frr\.conf:15: "ip rip bfd": FRR 8\.4 does not have it; "ip rip bfd \[profile <profile>\]" is FRR 9\.0 and later/);
  const c = parseFrrConf('frr version 10.2\nbfd\n profile slow\n  transmit-interval 1000\n  detect-multiplier 5\n peer 10.0.0.2 interface eth1\n  profile slow\n', 'lab/frr.conf');
  assert.deepEqual(c.bfdd?.profiles.map((p) => [p.name, p.transmitIntervalMs, p.receiveIntervalMs, p.detectMultiplier]), [['slow', 1000, null, 5]]);
  assert.deepEqual(c.bfdd?.peers.map((p) => [p.peer, p.interface, p.profile]), [[0x0a000002, 'eth1', 'slow']]);
  // bfdd_cli.c: "transmit-interval (10-60000)", "detect-multiplier (2-255)".
  assert.throws(() => parseFrrConf('bfd\n profile x\n  transmit-interval 5\n', 'lab/frr.conf'), /lab\/frr\.conf:3: expected "transmit-interval <10-60000>", got "transmit-interval 5"/);
  assert.throws(() => parseFrrConf('bfd\n profile x\n  detect-multiplier 1\n', 'lab/frr.conf'), /lab\/frr\.conf:3: expected "detect-multiplier <2-255>"/);
});

test("a peer block's own timers win over its profile's where they are not FRR's defaults (bfdd/bfd.c bfd_session_apply)", () => {
  // r1 configures its session to s1 as a peer, with profile fast (300 ms / 300 ms / 3) and its own
  // transmit-interval 100 and detect-multiplier 5; receive-interval 300 is FRR's default, so the
  // profile's value stands. bfd_session_apply: "Set timers if not the default".
  const files: Record<string, string> = {};
  for (const f of readdirSync(LAB_DIR)) files[f] = readFileSync(join(LAB_DIR, f), 'utf8');
  files['r1.frr.conf'] = files['r1.frr.conf']!.replace(
    // After the profile, as bfdd writes its configuration (profiles, then peers): a config file's
    // nodes end only where a line belongs to an outer node, so a profile after the peer would be
    // read as the peer's `profile` line and its timers as the peer's.
    '  detect-multiplier 3\n !\n!',
    '  detect-multiplier 3\n !\n peer 10.14.1.2 interface eth2\n  profile fast\n  transmit-interval 100\n  receive-interval 300\n  detect-multiplier 5\n !\n!',
  );
  const lab = new Lab(loadLabFiles(memoryLabFiles('anycast-bfd', files)));
  const json = JSON.parse(lab.exec('r1', 'vtysh -c "show bfd peers json"', { at: '1m' })) as Record<string, unknown>[];
  assert.equal(json.length, 1, 'ripd shares the configured session instead of opening a second one');
  const p = json[0]!;
  assert.deepEqual([p['peer'], p['type'], p['transmit-interval'], p['receive-interval'], p['detect-multiplier']], ['10.14.1.2', 'configured', 100, 300, 5]);
});
