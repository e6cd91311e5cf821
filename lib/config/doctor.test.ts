/**
 * `doctor`: the write-up's own slips found on its lab, each check on a small throw-away lab, and the
 * BIND start order (§4.3.3–4.3.4) replayed with the lab option `bind_before_lo0`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadLab } from './load';
import { doctor, formatDoctorFinding, type DoctorFinding } from './doctor';
import { attachDnsServices, namedOf } from '../lab/dns';
import { namedBootPlan } from './node-dns';
import { Lab } from '../lab/lab';
import { main } from '../cli/main';
import { minutes, seconds } from '../sim/time';
import { formatIpv4 } from './addr';

const ANYCAST = join(__dirname, '..', '..', 'data', 'labs', 'anycast');

const at = (f: DoctorFinding): string => `${f.sources[0]!.file}:${f.sources[0]!.line} ${f.severity} ${f.code}`;

/** A throw-away lab folder: two Linux hosts on one LAN, `srv` (10.0.0.1) and `cli` (10.0.0.2), with the given scripts. */
function tempLab(files: Record<string, string>): { dir: string; done: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'anycast-lab-doctor-'));
  const dir = join(root, 'lab');
  mkdirSync(dir);
  const topology = `name: lab
topology:
  nodes:
    srv: { kind: linux, startup-config: srv.sh${files['srv.zebra.conf'] !== undefined ? ', binds: ["srv.zebra.conf:/vagrant/srv.zebra.conf"]' : ''} }
    cli: { kind: linux, startup-config: cli.sh }
    sw: { kind: bridge }
  links:
    - endpoints: ["srv:eth1", "sw:p1"]
    - endpoints: ["cli:eth1", "sw:p2"]
`;
  writeFileSync(join(dir, 'topology.clab.yml'), topology);
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
  return { dir, done: () => rmSync(root, { recursive: true, force: true }) };
}

const SRV = `ifconfig eth1 10.0.0.1 netmask 255.255.255.0
apt-get -y install bind9
cat > /etc/resolv.conf <<EOF
nameserver 127.0.0.1
EOF
`;
const CLI = `ifconfig eth1 10.0.0.2 netmask 255.255.255.0
cat > /etc/resolv.conf <<EOF
nameserver 10.0.0.1
EOF
`;

function doctorOf(files: Record<string, string>): DoctorFinding[] {
  const lab = tempLab({ 'srv.sh': SRV, 'cli.sh': CLI, ...files });
  try {
    return doctor(loadLab(lab.dir));
  } finally {
    lab.done();
  }
}

test('the write-up lab (do_anycast): its 10.128.244.2 slip, the lo:0 network line, and BIND started early but restarted after lo:0', () => {
  const findings = doctor(loadLab(ANYCAST, { do_anycast: true }));
  assert.deepEqual(findings.map(at), [
    'anycast/xenial1.zebra.conf:6 warning zebra-address',
    'anycast/xenial2.zebra.conf:6 warning zebra-address',
    'anycast/setup.xenial1.sh:65 warning ping-unowned',
    'anycast/setup.xenial2.sh:65 warning ping-unowned',
    'anycast/setup.xenial1.sh:53 warning rip-network',
    'anycast/setup.xenial2.sh:53 warning rip-network',
    'anycast/setup.xenial1.sh:9 info named-started-early',
    'anycast/setup.xenial2.sh:9 info named-started-early',
  ]);
  const [zebra, , ping, , rip, , early] = findings;
  assert.match(zebra!.message, /gives lo:0 10\.128\.244\.2\/32, but no interface command on xenial1 configures 10\.128\.244\.2; the node has lo:0 10\.128\.224\.2\/32 \(anycast\/setup\.xenial1\.sh:25\)/);
  assert.match(zebra!.hint, /not read by zebra .*writes with lo:0 10\.128\.224\.2\/32 \(anycast\/setup\.xenial1\.sh:32\)/);
  assert.match(ping!.message, /`ping -c1 10\.128\.244\.2`: no node in the lab has 10\.128\.244\.2.*did you mean 10\.128\.224\.2 \(xenial1 lo:0, xenial2 lo:0\)\?/);
  assert.match(rip!.message, /`network lo:0` enables nothing: lo:0 is an alias label .*advertised anyway because `network 10\.128\.0\.0\/16`/);
  assert.match(early!.message, /apt-get install bind9 dnsutils .*setup\.xenial1\.sh:9\) starts named before `ifconfig lo:0 10\.128\.224\.2`.*bind9 restart \(anycast\/setup\.xenial1\.sh:64\) comes after it/);
  assert.ok(findings.every((f) => f.severity !== 'error'));
  // Without do_anycast the §4.2 listings are still bound under /vagrant: only their slip remains.
  assert.deepEqual(doctor(loadLab(ANYCAST)).map(at), ['anycast/xenial1.zebra.conf:6 warning zebra-address', 'anycast/xenial2.zebra.conf:6 warning zebra-address']);
});

test('bind_before_lo0: named last starts before lo:0, an error with the consequence per BIND profile', () => {
  const spec = loadLab(ANYCAST, { do_anycast: true, bind_before_lo0: true });
  const errors = doctor(spec).filter((f) => f.severity === 'error');
  assert.deepEqual(errors.map(at), ['anycast/setup.xenial1.sh:64 error named-before-address', 'anycast/setup.xenial2.sh:64 error named-before-address']);
  assert.match(errors[0]!.message, /bind-9\.10-nocaps .*never listens there until named is restarted; bind-9\.10 .*1h after the start; bind-9\.18 at once/);
  const plan = namedBootPlan(spec, spec.nodes.find((n) => n.name === 'xenial1')!);
  assert.equal(plan.reordered, true);
  assert.equal(plan.runAsUser, true); // the ed that deletes -u bind comes after this start
  assert.deepEqual(plan.lateAddresses.map((a) => formatIpv4(a.address)), ['10.128.224.2']);
  // As written: the restart after lo:0 (and after the ed) is the last start; nothing is late.
  const written = loadLab(ANYCAST, { do_anycast: true });
  const plan2 = namedBootPlan(written, written.nodes.find((n) => n.name === 'xenial1')!);
  assert.deepEqual([plan2.reordered, plan2.runAsUser, plan2.lateAddresses.length, plan2.lastStart?.source.line], [false, false, 0, 64]);
});

test('§4.3.3 replayed: with bind_before_lo0 and bind-9.10-nocaps, ping answers and nslookup does not until named restarts', () => {
  const make = (profile: 'bind-9.10-nocaps' | 'bind-9.10', failures: string[] = []) => {
    const lab = Lab.load(ANYCAST, { options: { do_anycast: true, bind_before_lo0: true }, failures });
    attachDnsServices(lab.network, lab.spec, { bindProfile: profile });
    return lab;
  };
  const lab = make('bind-9.10-nocaps', ['xenial1:named-stop@62m', 'xenial1:named-start@62m1s']);
  assert.match(lab.exec('xenial3', 'ping -c1 10.128.224.2', { at: minutes(1) }), /1 packets transmitted, 1 received/);
  assert.equal(lab.exec('xenial3', 'nslookup r1 10.128.224.2'), ';; connection timed out; no servers could be reached\n');
  assert.ok(!namedOf(lab.node('xenial1'))!.listening().map(formatIpv4).includes('10.128.224.2'));
  // The hourly rescan cannot bind port 53 after -u bind without CAP_NET_BIND_SERVICE.
  assert.match(lab.exec('xenial3', 'nslookup r1 10.128.224.2', { at: minutes(61) }), /connection timed out/);
  assert.ok(namedOf(lab.node('xenial1'))!.log.some((l) => l.text === 'could not listen on UDP socket: permission denied'));
  // Restarted (named-stop, named-start): it binds as root before dropping privileges.
  assert.match(lab.exec('xenial3', 'nslookup r1 10.128.224.2', { at: minutes(63) }), /Name:\tr1\.home\nAddress: 10\.128\.3\.1/);
  // Ubuntu's bind-9.10 keeps the capability: its interface-interval rescan (60 min) finds lo:0.
  const caps = make('bind-9.10');
  assert.match(caps.exec('xenial3', 'nslookup r1 10.128.224.2', { at: minutes(1) }), /connection timed out/);
  assert.match(caps.exec('xenial3', 'nslookup r1 10.128.224.2', { at: minutes(61) }), /Name:\tr1\.home/);
  // The lab as written (restart after lo:0) answers at once.
  const asWritten = Lab.load(ANYCAST, { do_anycast: true });
  attachDnsServices(asWritten.network, asWritten.spec, { bindProfile: 'bind-9.10-nocaps' });
  assert.match(asWritten.exec('xenial3', 'nslookup r1 10.128.224.2', { at: seconds(60) }), /Name:\tr1\.home/);
});

test('a clean lab gives no findings', () => {
  assert.deepEqual(doctorOf({}), []);
});

test('zebra-address: the zebra.conf the script writes, and a listing bound under /vagrant', () => {
  const findings = doctorOf({
    'srv.sh': `${SRV}ifconfig lo:0 10.9.9.9 netmask 255.255.255.255
cat > /etc/quagga/zebra.conf <<EOF
interface lo:0
ip address 10.9.9.8/32
EOF
`,
    'srv.zebra.conf': 'interface eth1\nip address 10.0.0.1/24\ninterface lo:0\nip address 10.9.9.7/32\n',
  });
  assert.deepEqual(findings.filter((f) => f.code === 'zebra-address').map(at), ['lab/srv.sh:9 warning zebra-address', 'lab/srv.zebra.conf:4 warning zebra-address']);
  const [written, listing] = findings;
  assert.match(written!.message, /\/etc\/quagga\/zebra\.conf gives lo:0 10\.9\.9\.8\/32, but no interface command on srv configures 10\.9\.9\.8; the node has lo:0 10\.9\.9\.9\/32 \(lab\/srv\.sh:6\)/);
  assert.match(written!.hint, /zebra adds the addresses/);
  assert.match(listing!.hint, /not read by zebra .*writes with lo:0 10\.9\.9\.8\/32 \(lab\/srv\.sh:9\)/);
});

test('ping-unowned: a ping to an address no node has, with the near miss', () => {
  const findings = doctorOf({ 'cli.sh': `${CLI}ping -c1 10.0.0.7\nping -c1 10.0.0.1\n` });
  assert.deepEqual(findings.map(at), ['lab/cli.sh:5 warning ping-unowned']);
  assert.match(findings[0]!.message, /no node in the lab has 10\.0\.0\.7.*did you mean 10\.0\.0\.1 \(srv eth1\) or 10\.0\.0\.2 \(cli eth1\)\?/);
});

test('rip-network: a prefix covering no interface, an alias label nothing else covers, an unknown interface', () => {
  const findings = doctorOf({
    'srv.sh': `${SRV}cat > /etc/quagga/daemons <<EOF
zebra=yes
ripd=yes
EOF
ifconfig lo:0 10.9.9.9 netmask 255.255.255.255
cat > /etc/quagga/ripd.conf <<EOF
router rip
 network 192.168.0.0/16
 network lo:0
 network eth7
 network eth1
EOF
`,
  });
  const rip = findings.filter((f) => f.code === 'rip-network');
  assert.deepEqual(rip.map(at), ['lab/srv.sh:13 warning rip-network', 'lab/srv.sh:14 warning rip-network', 'lab/srv.sh:15 warning rip-network']);
  assert.match(rip[0]!.message, /`network 192\.168\.0\.0\/16` covers no address of srv/);
  assert.match(rip[1]!.message, /lo:0 is an alias label .*Nothing else enables lo, so 10\.9\.9\.9\/32 is not advertised/);
  assert.equal(rip[1]!.hint, 'write `network lo` or `network 10.9.9.9/32`');
  assert.match(rip[2]!.message, /`network eth7` names no interface of srv/);
});

test('rip-versions-differ: a sender whose versions the neighbour\'s interface refuses (feature-versions r3 → r2, as real FRR 8.4.4 ran it)', () => {
  const findings = doctor(loadLab(join(__dirname, '..', '..', 'data', 'labs', 'feature-versions'))).filter((f) => f.code === 'rip-versions-differ');
  // r2 eth2 has `ip rip receive version 1`; r3 sends ripd's default v2 (ripd.h RI_RIP_VERSION_2): rip_read
  // refuses each update ("RIP Version check. RFC2453, 4.6 and 5.1"). r1 (`version 1`) and r2 eth1
  // (`ip rip send version 1`, receiving the default 1 and 2) meet, and are not named.
  assert.deepEqual(findings.map(at), ['feature-versions/r2.ripd.conf:12 warning rip-versions-differ']);
  assert.equal(
    findings[0]!.message,
    "r2-r3: r3 eth1 sends v2 (ripd's default: no `version` under `router rip`, feature-versions/r3.ripd.conf:4), but r2 eth2 accepts v1 (`ip rip receive version`, feature-versions/r2.ripd.conf:12): r2 drops every update r3 sends there as a bad packet, and learns nothing from it",
  );
  assert.deepEqual(findings[0]!.sources.map((x) => `${x.file}:${x.line}`), ['feature-versions/r2.ripd.conf:12', 'feature-versions/r3.ripd.conf:4']);
  // The real run: r2's show ip rip has no route to r3's 10.13.3.3/32, r3's has r2's.
  const show = JSON.parse(readFileSync(join(__dirname, '..', '..', 'data', 'real', 'feature-versions', 'show.json'), 'utf8')) as { nodes: { node: string; outputs: Record<string, string> }[] };
  const rip = (node: string) => show.nodes.find((n) => n.node === node)!.outputs['show ip rip']!;
  assert.doesNotMatch(rip('r2'), /10\.13\.3\.3\/32/);
  assert.match(rip('r3'), /^R\(n\) 10\.13\.2\.2\/32 /m);
});

test('rip-neighbor: a neighbour on no subnet of the node, and one on an interface no network enables', () => {
  const findings = doctorOf({
    'srv.sh': `${SRV}cat > /etc/quagga/daemons <<EOF
zebra=yes
ripd=yes
EOF
cat > /etc/quagga/ripd.conf <<EOF
router rip
 network 192.168.0.0/16
 neighbor 10.0.0.2
 neighbor 10.5.5.5
EOF
`,
  }).filter((f) => f.code === 'rip-neighbor');
  assert.deepEqual(findings.map(at), ['lab/srv.sh:13 warning rip-neighbor', 'lab/srv.sh:14 warning rip-neighbor']);
  // ripd.c rip_update_process: the interface whose subnet holds the neighbour, RIP enabled there or
  // not (real FRR 8.4.4, data/real/frr84-rip-rules s1: unicast updates out of a-2, which no network covers).
  assert.match(findings[0]!.message, /^srv: RIP `neighbor 10\.0\.0\.2` \(cli eth1\) is on eth1, which no `network` enables: srv sends it unicast updates there all the same, but does not advertise eth1's subnet, and hears no multicast update there$/);
  // "Neighbor %s doesn't have connected interface!": nothing is sent.
  assert.match(findings[1]!.message, /^srv: RIP `neighbor 10\.5\.5\.5` is on no subnet of srv's interfaces: ripd sends it no update \(ripd logs "Neighbor 10\.5\.5\.5 doesn't have connected interface!"\)$/);
});

test('resolver-no-server and resolver-too-many: nameservers nobody serves, and a fourth', () => {
  const none = doctorOf({ 'cli.sh': CLI.replace('nameserver 10.0.0.1', 'nameserver 10.0.0.9\nnameserver 10.0.0.2') });
  assert.deepEqual(none.map(at), ['lab/cli.sh:3 error resolver-no-server', 'lab/cli.sh:4 error resolver-no-server']);
  assert.match(none[1]!.message, /nameserver 10\.0\.0\.2, but no node running named owns it \(cli eth1 has it and runs no named\): cli can resolve no name/);
  assert.match(none[0]!.hint, /10\.0\.0\.1 \(srv\)/);
  const four = doctorOf({ 'cli.sh': CLI.replace('nameserver 10.0.0.1', 'nameserver 10.0.0.9\nnameserver 10.0.0.1\nnameserver 10.0.0.1\nnameserver 10.0.0.1') });
  assert.deepEqual(four.map(at), ['lab/cli.sh:3 warning resolver-no-server', 'lab/cli.sh:6 warning resolver-too-many']);
});

test('named-before-address: apt-get install bind9 starts named, lo:0 comes later, no restart', () => {
  const findings = doctorOf({ 'srv.sh': `${SRV}ifconfig lo:0 10.9.9.9 netmask 255.255.255.255\n` });
  assert.deepEqual(findings.map(at), ['lab/srv.sh:2 error named-before-address']);
  assert.match(findings[0]!.message, /apt-get install bind9 \(Debian's postinst starts named\) \(lab\/srv\.sh:2\), before `ifconfig lo:0 10\.9\.9\.9` \(lab\/srv\.sh:6\)/);
  assert.match(findings[0]!.message, /It runs with -u bind/);
  // -u bind deleted, then restarted before lo:0: root, so any build binds it at the next rescan.
  const root = doctorOf({ 'srv.sh': `${SRV}ed /etc/default/bind9 << EOF\n1\n/-u bind\nd\nw\nq\nEOF\nservice bind9 restart\nifconfig lo:0 10.9.9.9 netmask 255.255.255.255\n` });
  assert.deepEqual(root.map(at), ['lab/srv.sh:13 error named-before-address']);
  assert.match(root[0]!.message, /It runs as root/);
  // Restarted after it: only the note.
  const fine = doctorOf({ 'srv.sh': `${SRV}ifconfig lo:0 10.9.9.9 netmask 255.255.255.255\nservice bind9 restart\n` });
  assert.deepEqual(fine.map(at), ['lab/srv.sh:2 info named-started-early']);
});

test('resolv-conf-overwritten: a DHCP client run after the script wrote resolv.conf (§4.3.2)', () => {
  const findings = doctorOf({ 'cli.sh': `${CLI}dhclient eth1\n` });
  assert.deepEqual(findings.map(at), ['lab/cli.sh:2 warning resolv-conf-overwritten']);
  assert.match(findings[0]!.message, /`dhclient eth1` \(lab\/cli\.sh:5\) rewrites it/);
});

test('cli: doctor prints file:line findings with hints; --json; exit 1 on errors', () => {
  const lines: string[] = [];
  assert.equal(main(['doctor', ANYCAST, '--anycast'], (s) => lines.push(s)), 0);
  const text = lines.join('\n');
  assert.match(text, /^anycast\/xenial1\.zebra\.conf:6: warning: \[zebra-address\] /m);
  assert.match(text, /^ {4}hint: /m);
  assert.match(text, /lab anycast: 0 errors, 6 warnings, 2 notes$/);
  const json: string[] = [];
  assert.equal(main(['doctor', ANYCAST, '--anycast', '--option', 'bind_before_lo0', '--json'], (s) => json.push(s)), 1);
  const parsed = JSON.parse(json.join('\n')) as { findings: DoctorFinding[] };
  assert.equal(parsed.findings.filter((f) => f.code === 'named-before-address').length, 2);
  assert.ok(formatDoctorFinding(parsed.findings[0]!).includes('hint:'));
});
