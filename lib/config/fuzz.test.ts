/**
 * Whatever text a user feeds a parser, the answer is a value or a LabFileError, never another
 * exception (DESIGN §4.3's rule for wire formats, applied to config text).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import YAML from 'yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LabFileError } from './errors';
import { parseDaemons, parseFrrConf, parseRipdConf, parseZebraConf } from './frr';
import { parseHostScript } from './host';
import { parseIosConfig } from './ios';
import { parseTopology } from './topology';

/** Words these formats use, so that random lines reach deep into the parsers. */
const VOCABULARY = [
  'interface', 'Ethernet0/0', 'e0/1', 'lo', 'lo:0', 'eth1', '$ETH1', '${X}', 'ip', 'address', 'route', 'add', 'no', 'shut',
  'shutdown', 'router', 'rip', 'version', '2', '1', 'network', '10.128.0.0', '10.128.0.0/16', '10.128.5.2', '10.128.5.300',
  '255.255.255.0', '255.0.255.0', 'netmask', 'gw', 'via', 'dev', 'default', '-net', '-host', 'ifconfig', 'timers', 'basic',
  '30', '180', '240', 'passive-interface', 'redistribute', 'connected', 'static', 'metric', 'neighbor', 'allow-ecmp',
  'default-metric', 'default-information', 'originate', 'split-horizon', 'poisoned-reverse', 'enable', 'conf', 't', '^Z',
  'wr', '!', 'end', 'exit', 'banner', 'motd', '^C', 'if', '[', '-f', '/vagrant/do_anycast', ']', ';', 'then', 'else', 'fi',
  'cat', '>', '>>', '<<EOF', "<<'EOF'", 'EOF', 'echo', '"', "'", '$(dmesg | grep renamed from eth1)', '`', '\\', '|', '&&',
  'ETH1=x', 'hostname', 'domainname', 'sysctl', '-w', 'net.ipv4.ip_forward=1', 'apt-get', '-y', 'install', 'bind9',
  'service', 'restart', '/etc/init.d/bind9', 'ed', 'sed', '-i', 'ping', '-c1', 'while', 'do', 'done', 'zebra=yes',
  'ripd=no', 'name:', 'topology:', 'nodes:', 'links:', 'endpoints:', 'kind:', 'cisco_iol', 'linux', 'bridge',
  'startup-config:', 'x-sim:', '{', '}', '-', '"r1:e0/0"', 'mac:', 'cc:03:18:19:00:01', 'delay:', '1ms', '2ms..6ms',
  'binds:', 'label', 'secondary', 'mac-address', 'cc03.1819.0001', '#', 'ip link set', 'up', 'down',
  // Whole phrases, so that random lines also reach the sub-modes and their commands.
  'interface eth1\n', 'interface lo:0\n', 'interface Ethernet0/0\n', 'router rip\n', 'conf t\n', 'ip address 10.0.0.1/24',
  'ip address 10.0.0.1 255.255.255.0', 'ip rip split-horizon', 'no ip rip split-horizon', 'ip rip split-horizon poisoned-reverse',
  'no ip split-horizon', 'ip route 10.0.0.0 255.0.0.0 10.0.0.1', 'ip route 10.9.0.0/16 10.0.0.1', 'timers basic 30 180 120',
  'timers basic 30 180 180 240', 'network 10.0.0.0/8', 'ifconfig eth1 10.0.0.1 netmask 255.255.255.0',
  'route add -net 10.0.0.0 netmask 255.0.0.0 gw 10.0.0.1', 'ip addr add 10.0.0.1/24 dev eth1', 'ip route add default via 10.0.0.1',
  'if [ -f /vagrant/do_anycast ] ; then\n', '\nfi\n', 'cat > /etc/x <<EOF\na\nEOF\n', 'ed /etc/default/bind9 <<EOF\n/-u bind\nd\nEOF\n',
];

const line = fc.array(fc.oneof(fc.constantFrom(...VOCABULARY), fc.string({ maxLength: 6 })), { maxLength: 8 }).map((ws) => ws.join(' '));
const indentedLine = fc.tuple(fc.constantFrom('', ' ', '  ', '\t'), line).map(([i, l]) => i + l);
const soup = fc.array(indentedLine, { maxLength: 25 }).map((ls) => ls.join('\n'));
const anyText = fc.oneof(soup, fc.string({ maxLength: 400 }), fc.string({ unit: 'binary', maxLength: 200 }));

function valueOrLabFileError(parse: (text: string) => unknown): (text: string) => void {
  return (text) => {
    try {
      parse(text);
    } catch (e) {
      if (!(e instanceof LabFileError)) throw e;
      assert.ok(e.problems.length > 0);
      for (const p of e.problems) {
        assert.equal(typeof p.message, 'string');
        assert.ok(p.line === null || (Number.isInteger(p.line) && p.line >= 1), `line ${p.line}`);
      }
    }
  };
}

const RUNS = { numRuns: Number(process.env.FUZZ_RUNS ?? 400) };

test('parseIosConfig: any text gives a config or a LabFileError', () => {
  fc.assert(fc.property(anyText, valueOrLabFileError((t) => parseIosConfig(t, 'fuzz/r1.cfg'))), RUNS);
});

test('parseHostScript: any text gives a config or a LabFileError', () => {
  fc.assert(
    fc.property(anyText, fc.boolean(), (t, on) => valueOrLabFileError((x) => parseHostScript(x, 'fuzz/setup.sh', { options: { do_anycast: on } }))(t)),
    RUNS,
  );
});

test('parseZebraConf, parseRipdConf, parseFrrConf, parseDaemons: any text gives a config or a LabFileError', () => {
  fc.assert(
    fc.property(anyText, (t) => {
      valueOrLabFileError((x) => parseZebraConf(x, 'fuzz/zebra.conf'))(t);
      valueOrLabFileError((x) => parseRipdConf(x, 'fuzz/ripd.conf'))(t);
      valueOrLabFileError((x) => parseFrrConf(x, 'fuzz/frr.conf'))(t);
      valueOrLabFileError((x) => parseDaemons(x, 'fuzz/daemons'))(t);
    }),
    RUNS,
  );
});

test('parseTopology: any text gives a topology or a LabFileError', () => {
  fc.assert(fc.property(anyText, valueOrLabFileError((t) => parseTopology(t, 'fuzz/topology.clab.yml'))), RUNS);
});

const TOPO_SCALARS = [
  'r1', 'r2', 'h1', 'b1', 'cisco_iol', 'linux', 'bridge', 'junos', 'r1:e0/0', 'r2:Ethernet0/0', 'r1:Loopback0', 'h1:eth1',
  'h1:lo:0', 'b1:p1', 'b1:p2', 'zz:eth0', '1ms', '2ms..6ms', '0.5ms', '6ms..2ms', 'x', '', 'cc:03:18:19:00:01', 'veth',
  'a.cfg:/etc/quagga/zebra.conf', 'a:b:c:d',
];
const TOPO_KEYS = [
  'kind', 'startup-config', 'binds', 'x-sim', 'processing-delay', 'delay', 'endpoints', 'node', 'interface', 'mac', 'type',
  'link-delay', 'options', 'default', 'image',
];
const topoScalar = fc.oneof(fc.constantFrom(...TOPO_SCALARS), fc.integer(), fc.boolean(), fc.constant(null));
const { v: topoValue } = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    topoScalar,
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...TOPO_KEYS), tie('v'), { maxKeys: 4 }),
  ),
}));
const topologyDoc = fc
  .record(
    {
      name: topoScalar,
      'x-sim': topoValue,
      topology: fc.record(
        {
          nodes: fc.dictionary(
            fc.constantFrom('r1', 'r2', 'h1', 'b1'),
            fc.oneof(fc.record({ kind: fc.constantFrom('cisco_iol', 'linux', 'bridge', 'junos'), 'x-sim': topoValue, binds: topoValue }, { requiredKeys: ['kind'] }), topoValue),
          ),
          links: fc.array(
            fc.oneof(fc.record({ endpoints: fc.array(fc.oneof(topoScalar, topoValue), { maxLength: 3 }), 'x-sim': topoValue, type: topoScalar }, { requiredKeys: ['endpoints'] }), topoValue),
            { maxLength: 6 },
          ),
        },
        { requiredKeys: ['nodes'] },
      ),
    },
    { requiredKeys: ['topology'] },
  )
  .map((o) => YAML.stringify(o));

test('parseTopology: any YAML structure gives a topology or a LabFileError', () => {
  fc.assert(fc.property(topologyDoc, valueOrLabFileError((t) => parseTopology(t, 'fuzz/topology.clab.yml'))), RUNS);
});

/** The lab's own files with lines dropped, repeated, swapped and garbled: near-valid text reaches every branch. */
function mutated(text: string): fc.Arbitrary<string> {
  const lines = text.split('\n');
  const pick = fc.oneof(
    { weight: 4, arbitrary: fc.nat(lines.length - 1).map((i) => lines[i]!) },
    { weight: 1, arbitrary: indentedLine },
    { weight: 1, arbitrary: fc.tuple(fc.nat(lines.length - 1), fc.nat(40), fc.string({ maxLength: 3 })).map(([i, at, s]) => lines[i]!.slice(0, at) + s + lines[i]!.slice(at + s.length)) },
  );
  return fc.array(pick, { maxLength: lines.length + 5 }).map((ls) => ls.join('\n'));
}

const LAB_DIR = join(__dirname, '..', '..', 'data', 'labs', 'anycast');
const labFile = (name: string): string => readFileSync(join(LAB_DIR, name), 'utf8');

test('mutations of the lab files give a value or a LabFileError', () => {
  fc.assert(fc.property(mutated(labFile('r3.cfg')), valueOrLabFileError((t) => parseIosConfig(t, 'fuzz/r3.cfg'))), RUNS);
  fc.assert(
    fc.property(mutated(labFile('setup.xenial1.sh')), fc.boolean(), (t, on) =>
      valueOrLabFileError((x) => parseHostScript(x, 'fuzz/setup.sh', { options: { do_anycast: on } }))(t),
    ),
    RUNS,
  );
  fc.assert(fc.property(mutated(labFile('xenial1.zebra.conf') + '\n' + labFile('xenial1.ripd.conf')), valueOrLabFileError((t) => parseFrrConf(t, 'fuzz/frr.conf'))), RUNS);
  fc.assert(fc.property(mutated(labFile('topology.clab.yml')), valueOrLabFileError((t) => parseTopology(t, 'fuzz/topology.clab.yml'))), RUNS);
});
