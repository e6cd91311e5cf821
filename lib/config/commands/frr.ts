/**
 * Quagga/FRR commands as tables: the top level of a config file and the `interface` node, each command
 * marked with the daemon that reads it (zebra: interfaces' addresses, static routes, forwarding; ripd:
 * `router rip` and `ip rip …`). `router rip` itself is the table shared with IOS (./rip.ts).
 *
 * A command of the other daemon's file is reported, not applied: that daemon would reject it.
 * `hostname`, `password`, `log …`, `line vty` and similar are harmless and accepted silently.
 */
import { emptyRip, isLinuxInterfaceName, kw } from '../common';
import type { Findings, Problems } from '../errors';
import type { FrrBfdSpec, FrrConfig, FrrInterface } from '../frr';
import { formatFrrRelease, frrReleaseProblem, isCheckedFrrRelease, parseFrrRelease, type FrrRelease } from '../frr-version';
import type { AccessListEntrySpec, RipConfigSpec, Sourced, StaticRouteSpec } from '../spec';
import { readAccessList, readFrrStaticRoute } from './frr-policy';
import { valueOf, type CommandLine, type Table } from './engine';
import { enterBfd, type BfddSpec, type BfdTimersSpec } from './frr-bfd';

/** ripd's BFD commands are FRR 9.0's (pull request 13246, "ripd: support BFD integration", spring 2023). */
const RIP_BFD_SINCE: FrrRelease = { major: 9, minor: 0 };

export type FrrNode = { kind: 'top' } | { kind: 'interface'; iface: FrrInterface } | { kind: 'rip' } | { kind: 'block' } | { kind: 'bfd' } | { kind: 'bfd-session'; block: BfdTimersSpec };

/** What Quagga/FRR commands change while a file is read. */
export interface FrrState {
  /** Which file this is read as: a daemon's own (`zebra.conf`, `ripd.conf`) or the integrated `frr.conf`. */
  daemon: FrrConfig['daemon'];
  problems: Problems;
  findings: Findings;
  interfaces: FrrInterface[];
  staticRoutes: StaticRouteSpec[];
  hostname: Sourced<string> | null;
  ipForwarding: Sourced<boolean> | null;
  rip: RipConfigSpec | null;
  node: FrrNode;
  /** Per-interface RIP settings live on the RIP config; an `interface` block may come before `router rip`. */
  pendingRipInterfaces: RipConfigSpec['interfaces'];
  /** `access-list` lines, in file order (ripd's `distance` and `offset-list` name them). */
  accessLists: AccessListEntrySpec[];
  /** Whether the file is read from /etc/frr (FRR: zebra has no `ip route`) rather than /etc/quagga. */
  frrDirectory: boolean;
  /** The release whose grammar reads the rest of the file: the lab's, until a `frr version` line. */
  release: FrrRelease;
  /** The file's `frr version` line. */
  frrVersion: Sourced<string> | null;
  /** `log file PATH`: where the daemon writes its log. */
  logFile: Sourced<string> | null;
  /** `ip rip bfd [profile P]` per interface and `bfd default-profile P` (FRR 9.0 and later). */
  bfd: FrrBfdSpec[];
  /** `debug rip events`, `debug rip zebra`, `debug bfd peer` in force (what the log keeps of zlog_debug). */
  debug: string[];
  /** bfdd's `bfd` node (./frr-bfd.ts), or null: the file has none. */
  bfdd: BfddSpec | null;
}

const HARMLESS_TOP = ['password', 'log', 'line', 'service', 'debug', 'agentx', 'username', 'banner', 'table'];

const top = (s: FrrState): void => {
  s.node = { kind: 'top' };
};

/** A ripd command in zebra.conf: reported, as zebra would not read it. */
function ripdOnly(s: FrrState, l: CommandLine): boolean {
  if (s.daemon !== 'zebra' && s.daemon !== 'staticd') return false;
  s.findings.add('unsupported', l.lineNo, `${l.got} in ${s.daemon}.conf: ${s.daemon} does not read it (it belongs in ripd.conf)`);
  return true;
}

function currentInterface(s: FrrState): FrrInterface {
  if (s.node.kind !== 'interface') throw new Error('an interface command outside an interface node');
  return s.node.iface;
}

// ---------------------------------------------------------------------------------------------
// Top level

function enterInterface(s: FrrState, l: CommandLine): void {
  const { words, lineNo, got } = l;
  const name = words[1];
  if (name === undefined || !isLinuxInterfaceName(name) || (words.length > 2 && !kw(words[2], 'vrf', 3))) {
    s.problems.add(lineNo, `expected "interface <name>" such as "interface eth1", got ${got}`);
    s.node = { kind: 'block' };
    return;
  }
  if (words.length > 2) s.findings.add('unsupported', lineNo, `${got}: VRFs are not modelled`);
  let iface = s.interfaces.find((i) => i.name === name);
  if (iface === undefined) {
    iface = { name, addresses: [], up: null, source: l.src };
    s.interfaces.push(iface);
  }
  s.node = { kind: 'interface', iface };
}

function routerRip(s: FrrState, l: CommandLine): void {
  if (l.values.has('vrf')) s.findings.add('unsupported', l.lineNo, `${l.got}: VRFs are not modelled`);
  s.rip ??= emptyRip('frr', l.src);
  s.node = { kind: 'rip' };
}

function ripdOnlyNode(s: FrrState, l: CommandLine): boolean {
  if (!ripdOnly(s, l)) return false;
  s.node = { kind: 'block' };
  return true;
}

/** `ip route …`: staticd's (and Quagga zebra's); FRR 8.4's zebra has no such command. */
function staticRoute(s: FrrState, l: CommandLine): void {
  if (s.daemon === 'zebra' && s.frrDirectory) {
    s.findings.add('unsupported', l.lineNo, `${l.got} in zebra.conf: FRR 8.4's zebra has no "ip route" (it says "No such command"); static routes belong in staticd.conf or frr.conf`);
    return;
  }
  const route = readFrrStaticRoute(l.words, l, s.problems, s.findings);
  if (route !== null) s.staticRoutes.push(route);
}

/** The top level of zebra.conf, ripd.conf and frr.conf: vtysh tries here what the current node does not know. */
export const FRR_TOP: Table<FrrState> = {
  mode: 'config',
  commands: [
    { syntax: '<exi(t)|exit-vrf|quit> [LINE...]', help: 'leave the node', apply: top },
    {
      syntax: 'host(name) WORD$name',
      help: "the daemon's host name",
      raw: true,
      apply: (s, l) => {
        if (l.words.length !== 2) s.problems.add(l.lineNo, `expected "hostname <name>", got ${l.got}`);
        else s.hostname = { value: l.words[1]!, source: l.src };
        top(s);
      },
    },
    { syntax: 'int(erface) IFNAME$name [vrf WORD$vrf]', help: 'configure an interface', raw: true, apply: enterInterface },
    // ripd/rip_cli.c: "router rip [vrf NAME]"
    { syntax: 'rou(ter) rip', help: 'configure RIP (ripd)', guard: ripdOnlyNode, apply: routerRip },
    { syntax: 'rou(ter) rip vrf$vrf WORD', help: 'configure RIP in a VRF (ripd)', fallThrough: true, guard: ripdOnlyNode, apply: routerRip },
    {
      syntax: 'rou(ter) [LINE...]',
      help: 'other routing protocols',
      apply: (s, l) => {
        s.findings.add('unsupported', l.lineNo, `${l.got}: only RIP is modelled`);
        s.node = { kind: 'block' };
      },
    },
    {
      syntax: 'ip forw(arding)',
      help: 'forward IPv4 packets (zebra)',
      no: 'same',
      apply: (s, l) => {
        s.ipForwarding = { value: !l.negated, source: l.src };
        top(s);
      },
    },
    {
      syntax: 'ip route A.B.C.D/M$prefix <A.B.C.D$via|IFNAME$device|blackhole|reject|Null0> [tag (1-4294967295)] [(1-255)$distance]',
      help: 'a static route (staticd; Quagga: zebra)',
      raw: true,
      guard: (s, l) => {
        top(s);
        if (s.daemon !== 'ripd') return false;
        s.findings.add('unsupported', l.lineNo, `${l.got} in ripd.conf: ripd does not read it (static routes belong in ${s.frrDirectory ? 'staticd.conf' : 'zebra.conf'})`);
        return true;
      },
      apply: staticRoute,
    },
    {
      syntax: 'access-list WORD$name [seq (1-4294967295)] <permit|deny> LINE...',
      help: 'an access list (lib/filter.c): which prefixes a distance or offset-list applies to',
      raw: true,
      no: 'same',
      apply: (s, l) => {
        top(s);
        const e = readAccessList(l.body, l, s.problems);
        if (e === null || e === 'remark') return;
        if (l.negated) s.accessLists = s.accessLists.filter((x) => x.name !== e.name || JSON.stringify({ ...x, source: null }) !== JSON.stringify({ ...e, source: null }));
        else s.accessLists.push(e);
      },
    },
    {
      // lib/command.c vty_write_config writes "frr version <FRR_VER_SHORT>" first in every saved file.
      syntax: 'frr version WORD$version',
      help: 'the FRR release that wrote the file: its grammar reads the rest of the file',
      apply: frrVersionLine,
    },
    {
      // lib/defaults.c: "frr defaults traditional|datacenter" picks the profile of protocol defaults.
      syntax: 'frr defaults WORD$profile',
      help: 'the profile of protocol defaults',
      apply: (s, l) => {
        top(s);
        if (valueOf<string>(l, 'profile') !== 'traditional') {
          s.findings.add('unsupported', l.lineNo, `${l.got}: only the "traditional" defaults are modelled (ripd's defaults are the same in both, other daemons' are not)`);
        }
      },
    },
    {
      // lib/log_vty.c: "log file FILENAME [<emergencies|…|debugging>]".
      syntax: 'log file WORD$path [LINE...]',
      help: 'where the daemon writes its log',
      no: 'bare',
      apply: (s, l) => {
        top(s);
        s.logFile = l.negated ? null : { value: valueOf<string>(l, 'path'), source: l.src };
      },
    },
    {
      // lib/command.c "[no] allow-reserved-ranges": a global setting (`show running-config` lists it
      // at the top level even when it is written inside `router rip`, data/real/frr84-rip-rules s2);
      // real FRR 8.4.4 zebra accepts it too (zebra --dryrun), and 10.x keeps it (lib/host_cli.c).
      syntax: 'allow-reserved-ranges',
      help: 'allow the reserved 0/8, 127/8 and 240/4 ranges in addresses (global)',
      no: 'same',
      apply: (s, l) => {
        top(s);
        if (l.negated) return;
        s.findings.add(
          'note',
          l.lineNo,
          `${l.got}: FRR 8.4's ripd refuses 0/8, 127/8 and 240/4 destinations all the same (ripd/ripd.c rip_destination_check does not consult it; seen on FRR 8.4.4); whether FRR 10's ripd does is not modelled`,
        );
      },
    },
    // bfdd/bfdd_cli.c bfd_enter: "bfd" (the profiles and peers of ./frr-bfd.ts).
    { syntax: 'bfd', help: "bfdd's node: BFD profiles and peers", apply: enterBfd },
    { syntax: 'en(able) pass(word) [LINE...]', help: 'the enable password', apply: () => {} },
    { syntax: 'end', help: 'leave the node', apply: top },
    // ripd/rip_debug.c "debug rip events", "debug rip zebra"; bfdd/bfdd_vty.c "debug bfd peer".
    { syntax: 'debug rip <events|zebra>', help: 'what ripd logs of its debug messages', no: 'same', apply: debugSwitch },
    { syntax: 'debug bfd peer', help: "what bfdd logs of its sessions' changes", no: 'same', apply: debugSwitch },
    {
      syntax: `<${HARMLESS_TOP.join('|')}> [LINE...]`,
      help: 'settings that do not change what the simulator shows',
      apply: (s, l) => {
        s.node = l.words[0]!.toLowerCase() === 'line' ? { kind: 'block' } : { kind: 'top' };
      },
    },
  ],
};

/** `debug rip events` and the like: which zlog_debug messages the log keeps. */
function debugSwitch(s: FrrState, l: CommandLine): void {
  const flag = l.body.slice(1).map((w) => w.toLowerCase()).join(' ');
  s.debug = s.debug.filter((d) => d !== flag);
  if (!l.negated) s.debug.push(flag);
}

/** `frr version 10.2`: the rest of the file is read with that release's grammar. */
function frrVersionLine(s: FrrState, l: CommandLine): void {
  top(s);
  const written = valueOf<string>(l, 'version');
  const release = parseFrrRelease(written);
  if (release === null) {
    s.problems.add(l.lineNo, `expected "frr version <release>" such as "frr version 8.4.4" or "frr version 10.2", got ${l.got}`);
    return;
  }
  const problem = frrReleaseProblem(release, written);
  if (problem !== null) {
    s.problems.add(l.lineNo, `${l.got}: ${problem}`);
    return;
  }
  if (!isCheckedFrrRelease(release)) {
    s.findings.add('note', l.lineNo, `${l.got}: read with the grammar declared for FRR ${formatFrrRelease(release)}; only 8.4 and 10.x are checked against FRR`);
  }
  s.release = release;
  s.frrVersion = { value: written, source: l.src };
}

/** `ip rip bfd [profile P]`: kept per interface; ripd then opens a BFD session per neighbour heard there (lib/net/rip-bfd.ts). */
function ripBfd(s: FrrState, l: CommandLine, iface: string | null): void {
  const profile = valueOf<string | undefined>(l, 'profile') ?? null;
  // FRR keeps BFD's enable and its profile as two leaves (frr-ripd.yang bfd-monitoring/enable, /profile).
  s.bfd = s.bfd.filter((b) => !(b.interface === iface && (b.profile === null) === (profile === null)));
  if (l.negated) return;
  s.bfd.push({ interface: iface, profile, source: l.src });
}

// ---------------------------------------------------------------------------------------------
// interface node

function interfaceAddress(s: FrrState, l: CommandLine): void {
  const iface = currentInterface(s);
  const p = valueOf<{ address: number; prefixLength: number }>(l, 'prefix');
  if (p.prefixLength === 0) {
    s.problems.add(l.lineNo, `${l.got}: a /0 prefix is not an interface address`);
    return;
  }
  if (l.negated) {
    iface.addresses = iface.addresses.filter((a) => !(a.address === p.address && a.prefixLength === p.prefixLength));
    return;
  }
  const label = valueOf<string | undefined>(l, 'labelName') ?? null;
  if (!iface.addresses.some((a) => a.address === p.address && a.prefixLength === p.prefixLength)) {
    iface.addresses.push({ address: p.address, prefixLength: p.prefixLength, label, source: l.src });
  }
}

function pendingRipInterface(s: FrrState, l: CommandLine): FrrState['pendingRipInterfaces'][number] {
  const name = currentInterface(s).name;
  let r = s.pendingRipInterfaces.find((x) => x.name === name);
  if (r === undefined) {
    r = { name, splitHorizon: null, source: l.src };
    s.pendingRipInterfaces.push(r);
  }
  return r;
}

function ripSplitHorizon(s: FrrState, l: CommandLine): void {
  const poisoned = l.values.has('poisoned-reverse');
  const value = l.negated ? (poisoned ? 'on' : 'off') : poisoned ? 'poisoned-reverse' : 'on';
  pendingRipInterface(s, l).splitHorizon = { value, source: l.src };
}

/**
 * ripd/rip_cli.c: "ip rip send version <{1$v1|2$v2}|none>", "no ip rip send version [<{1|2}|none>]"
 * (receive alike): 1, 2, both in either order, or none; `no` returns to the router's version.
 */
function ripInterfaceVersion(s: FrrState, l: CommandLine): void {
  const direction = l.words[l.negated ? 3 : 2]!.toLowerCase().startsWith('s') ? 'send' : 'receive';
  const r = pendingRipInterface(s, l);
  const key = direction === 'send' ? 'sendVersion' : 'receiveVersion';
  if (l.negated) {
    r[key] = null;
    return;
  }
  const words = (valueOf<string | undefined>(l, 'versions') ?? '').split(/\s+/).filter((w) => w !== '');
  const versions = new Set<1 | 2>();
  let none = false;
  for (const w of words) {
    if (w === '1' || w === '2') versions.add(w === '1' ? 1 : 2);
    else if (kw(w, 'none', 1)) none = true;
  }
  const bad = words.length === 0 || words.some((w) => w !== '1' && w !== '2' && !kw(w, 'none', 1)) || (none && words.length > 1) || words.length > 2;
  if (bad) {
    s.problems.add(l.lineNo, `expected "ip rip ${direction} version 1", "2", "1 2" or "none", got ${l.got}`);
    return;
  }
  r[key] = { value: none ? [] : [...versions].sort(), source: l.src };
}

export { RIP_BFD_SINCE, ripBfd };

export const FRR_INTERFACE: Table<FrrState> = {
  mode: 'config-if',
  commands: [
    {
      syntax: 'ip add(ress) A.B.C.D/M$prefix [lab(el) IFNAME$labelName]',
      help: 'an address of the interface (zebra)',
      no: 'same',
      expected: 'expected "ip address <address>/<length> [label <label>]" such as "ip address 10.128.5.2/24"',
      guard: (s, l) => {
        if (s.daemon !== 'ripd' && s.daemon !== 'staticd') return false;
        s.findings.add('unsupported', l.lineNo, `${l.got} in ${s.daemon}.conf: ${s.daemon} does not configure addresses (they belong in zebra.conf)`);
        return true;
      },
      apply: interfaceAddress,
    },
    {
      // ripd/rip_cli.c: "[no] ip rip split-horizon [poisoned-reverse]"
      syntax: 'ip rip split(-horizon) [poi(soned-reverse)]',
      help: 'split horizon on this interface (ripd)',
      no: 'same',
      expected: 'expected "ip rip split-horizon [poisoned-reverse]" or "no ip rip split-horizon"',
      guard: ripdOnly,
      apply: ripSplitHorizon,
    },
    {
      // IOS's spelling: ripd 8.4 answers "No such command" and ignores the line.
      syntax: 'ip split-horizon [LINE...]',
      help: "IOS's split horizon command (ripd spells it ip rip split-horizon)",
      no: 'same',
      guard: ripdOnly,
      apply: (s, l) => s.findings.add('ignored', l.lineNo, `${l.got}: ripd has no such command (it ignores the line); FRR writes "ip rip split-horizon [poisoned-reverse]" or "no ip rip split-horizon"`),
    },
    {
      syntax: 'ip rip <sen(d)|rec(eive)> ver(sion) [LINE...$versions]',
      help: 'the RIP versions sent or accepted on this interface (ripd)',
      no: 'same',
      guard: ripdOnly,
      apply: ripInterfaceVersion,
    },
    {
      // ripd/rip_cli.c (10.x): "[no] ip rip bfd", "[no] ip rip bfd profile BFDPROF$profile"
      syntax: 'ip rip bfd [prof(ile) WORD$profile]',
      help: 'BFD for the RIP peers on this interface (ripd, FRR 9.0 and later)',
      no: 'same',
      frrHistory: [{ before: RIP_BFD_SINCE, syntax: null }],
      guard: ripdOnly,
      apply: (s, l) => ripBfd(s, l, currentInterface(s).name),
    },
    {
      syntax: 'ip rip [LINE...]',
      help: 'other RIP interface settings (ripd)',
      no: 'same',
      guard: ripdOnly,
      apply: (s, l) => s.findings.add('unsupported', l.lineNo, `${l.got} is not modelled by the simulator`),
    },
    { syntax: 'shu(tdown)', help: 'take the interface down (zebra)', no: 'same', apply: (s, l) => void (currentInterface(s).up = { value: l.negated, source: l.src }) },
    { syntax: '<desc(ription)|link-d(etect)|multi(cast)|band(width)> [LINE...]', help: 'settings that do not change what the simulator shows', no: 'same', apply: () => {} },
    { syntax: 'ipv6 nd [LINE...]', help: 'IPv6 router advertisements', no: 'same', apply: () => {} },
  ],
};
