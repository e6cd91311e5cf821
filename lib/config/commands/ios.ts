/**
 * Cisco IOS commands as tables: the exec prompt (`Router#`), global configuration (`Router(config)#`)
 * and interface configuration (`Router(config-if)#`); `router rip` is the table shared with FRR
 * (./rip.ts). Keywords carry IOS's minimum abbreviations (`conf t`, `int e0/0`, `no shut`).
 *
 * Lines that do not change what the simulator shows are `ignored` findings; commands we do not model
 * are `unsupported` findings; wrong arguments are errors.
 */
import { broadcastOf, formatIpv4, formatPrefix, inSubnet, networkOf, readIpv4, readNetmask } from '../addr';
import { emptyRip, interfaceIn, kw, readInt } from '../common';
import type { Findings, Problems } from '../errors';
import type { AccessListEntrySpec, InterfaceSpec, RipConfigSpec, Sourced, SplitHorizonMode, StaticRouteSpec } from '../spec';
import { valueOf, type Command, type CommandLine, type Table } from './engine';
import { isIosLoopback, normalizeIosInterfaceName } from './ios-names';
import { readIosAccessList } from './ios-policy';

export type IosMode =
  | { kind: 'start' }
  | { kind: 'exec' }
  | { kind: 'config' }
  | { kind: 'interface'; iface: InterfaceSpec }
  | { kind: 'rip' }
  /** A sub-mode we do not model (`line con 0`, `router ospf 1`): its lines are swallowed. */
  | { kind: 'block' };

/** What IOS commands change while a file is read. */
export interface IosState {
  problems: Problems;
  findings: Findings;
  interfaces: InterfaceSpec[];
  /** Explicit `shutdown` / `no shutdown` per interface. */
  adminState: Map<InterfaceSpec, boolean>;
  splitHorizon: Map<string, Sourced<SplitHorizonMode>>;
  /** `ip rip send version` / `ip rip receive version` by interface name. */
  ripVersions: Map<string, { send?: Sourced<readonly (1 | 2)[]>; receive?: Sourced<readonly (1 | 2)[]> }>;
  /** The file's standard access lists (global `access-list` lines), in order. */
  accessLists: AccessListEntrySpec[];
  staticRoutes: StaticRouteSpec[];
  rip: RipConfigSpec | null;
  hostname: Sourced<string> | null;
  domain: Sourced<string> | null;
  ipForwarding: boolean;
  sessionForm: boolean;
  mode: IosMode;
}

type IosCommand = Command<IosState>;

const IGNORED_GLOBAL = [
  'version', 'service', 'boot-start-marker', 'boot-end-marker', 'boot', 'logging', 'memory-size', 'username', 'clock',
  'archive', 'multilink', 'ntp', 'snmp-server', 'cdp', 'aaa', 'alias', 'security', 'mmi', 'voice-card', 'license',
  'redundancy', 'spanning-tree', 'vtp', 'hw-module', 'scheduler', 'autonomous-system',
];
const IGNORED_IP_GLOBAL = [
  'cef', 'classless', 'subnet-zero', 'http', 'tcp', 'auth-proxy', 'admission', 'forward-protocol', 'domain-lookup',
  'name-server', 'ssh', 'finger', 'bootp', 'source-route', 'dhcp', 'host', 'domain-list',
];
const IGNORED_INTERFACE = [
  'duplex', 'speed', 'half-duplex', 'full-duplex', 'media-type', 'keepalive', 'bandwidth', 'delay', 'load-interval', 'mtu',
  'clock', 'negotiation', 'cdp', 'logging', 'hold-queue', 'tx-ring-limit',
];
export const IGNORED_IP_INTERFACE = ['route-cache', 'mroute-cache', 'directed-broadcast', 'virtual-reassembly', 'mtu'];

const oneOf = (words: readonly string[]): string => `<${words.join('|')}>`;

const config = (s: IosState): void => {
  s.mode = { kind: 'config' };
};
const ignored = (s: IosState, l: CommandLine): void => s.findings.add('ignored', l.lineNo, `${l.got}: does not change what the simulator shows`);
const notModelled = (s: IosState, l: CommandLine): void => s.findings.add('unsupported', l.lineNo, `${l.got} is not modelled by the simulator`);
const atPrompt = (s: IosState, l: CommandLine): void => s.findings.add('ignored', l.lineNo, `${l.got}: a command typed at the prompt, not configuration`);
const nothing = (): void => {};

function currentInterface(s: IosState): InterfaceSpec {
  if (s.mode.kind !== 'interface') throw new Error('an interface command outside interface mode');
  return s.mode.iface;
}

// ---------------------------------------------------------------------------------------------
// Exec mode

const sessionStarts = (s: IosState): void => {
  s.sessionForm = true;
  s.mode = { kind: 'config' };
};

/** The commands of the exec prompt a pasted session holds; none has a lasting effect but `configure terminal`. */
export const IOS_EXEC: Table<IosState> = {
  mode: 'exec',
  commands: [
    { syntax: 'en(able)', help: 'privileged exec mode', apply: nothing },
    { syntax: 'conf(igure)', help: 'configure from the terminal', apply: sessionStarts },
    { syntax: 'conf(igure) t(erminal)', help: 'configure from the terminal', apply: sessionStarts },
    {
      syntax: 'conf(igure) [LINE...]',
      help: 'other configuration sources',
      apply: (s, l) => s.findings.add('unsupported', l.lineNo, `${l.got}: only "configure terminal" is modelled`),
    },
    // Saving the configuration: the file is what is saved.
    { syntax: '<wr(ite)|co(py)> [LINE...]', help: 'save the configuration', apply: nothing },
    { syntax: '<pi(ng)|trac(eroute)|sh(ow)> [LINE...]', help: 'look at the router', apply: atPrompt },
    {
      syntax: '<disa(ble)|term(inal)|cle(ar)|deb(ug)|un(debug)|logo(ut)|exi(t)|end> [LINE...]',
      help: 'no lasting effect on the configuration',
      apply: nothing,
    },
  ],
};

// ---------------------------------------------------------------------------------------------
// Global configuration mode

function hostname(s: IosState, l: CommandLine): void {
  const name = l.args[0];
  if (l.args.length !== 1 || name === undefined || !/^[A-Za-z][A-Za-z0-9-]{0,62}$/.test(name)) {
    s.problems.add(l.lineNo, `expected "hostname <name>" (letters, digits and hyphens, starting with a letter), got ${l.got}`);
  } else {
    s.hostname = { value: name, source: l.src };
  }
  config(s);
}

function enterInterface(s: IosState, l: CommandLine): void {
  const nameText = l.args.join(' ');
  const name = normalizeIosInterfaceName(nameText);
  if (name === null) {
    if (/\.\d+$/.test(nameText)) s.findings.add('unsupported', l.lineNo, `${l.got}: subinterfaces are not modelled`);
    else s.problems.add(l.lineNo, `expected "interface <name>" such as "interface Ethernet0/0", got ${l.got}`);
    s.mode = { kind: 'block' };
    return;
  }
  s.mode = { kind: 'interface', iface: interfaceIn(s.interfaces, name, l.src, isIosLoopback(name)) };
}

/**
 * `ip route <network> <netmask> <next-hop | interface [next-hop] | Null0> [distance]` (Cisco IOS IP
 * Routing: Protocol-Independent Command Reference, `ip route`: the distance 1-255, default 1; a route
 * to the null interface discards what it carries, shown as "is directly connected, Null0").
 */
function staticRoute(s: IosState, l: CommandLine): void {
  config(s);
  const { words, lineNo, got } = l;
  const expected = `expected "ip route <network> <netmask> <next-hop address | interface>", got ${got}`;
  const prefix = words[2] === undefined ? null : readIpv4(words[2]);
  const len = words[3] === undefined ? null : readNetmask(words[3]);
  if (prefix === null || len === null || words[4] === undefined) {
    s.problems.add(lineNo, expected);
    return;
  }
  if (networkOf(prefix, len) !== prefix) {
    s.problems.add(lineNo, `${got}: inconsistent address and mask (${words[2]} has bits outside ${words[3]}; IOS says "%Inconsistent address and mask")`);
    return;
  }
  let via: number | null = null;
  let device: string | null = null;
  let i = 4;
  const hop = readIpv4(words[i]!);
  const toNull = /^nu(ll?)?0$/i.test(words[i]!);
  if (toNull) {
    i++;
    if (words[i] !== undefined && readIpv4(words[i]!) !== null) {
      s.problems.add(lineNo, `${got}: a route to Null0 takes no next hop (expected "ip route <network> <netmask> Null0 [<distance>]")`);
      return;
    }
  } else if (hop !== null) {
    via = hop;
    i++;
  } else {
    device = normalizeIosInterfaceName(words[i]!);
    if (device === null) {
      s.problems.add(lineNo, expected);
      return;
    }
    i++;
    const after = words[i] === undefined ? null : readIpv4(words[i]!);
    if (after !== null) {
      via = after;
      i++;
    }
  }
  const rest = words.slice(i);
  const distance = rest.length > 0 ? readInt(rest[0], 1, 255) : null;
  if (rest.length > 0 && /^\d+$/.test(rest[0]!) && distance === null) {
    s.problems.add(lineNo, `${got}: the distance must be 1-255, got ${rest[0]}`);
    return;
  }
  const unmodelled = distance === null ? rest : rest.slice(1);
  if (unmodelled.length > 0) {
    s.findings.add('unsupported', lineNo, `${got}: "${unmodelled.join(' ')}" (name, tag, permanent) is not modelled; read as the route without it`);
  }
  const route: StaticRouteSpec = { prefix, prefixLength: len, via, device, source: l.src };
  if (toNull) route.blackhole = 'blackhole';
  if (distance !== null) route.distance = distance;
  s.staticRoutes.push(route);
}

const domainName = (s: IosState, l: CommandLine): void => {
  s.domain = { value: valueOf<string>(l, 'name'), source: l.src };
  config(s);
};

/** Global configuration: a global command typed in a sub-mode leaves the sub-mode and runs here. */
export const IOS_GLOBAL: Table<IosState> = {
  mode: 'config',
  commands: [
    { syntax: 'end', help: 'leave configuration mode', apply: (s) => void (s.mode = { kind: 'exec' }) },
    { syntax: 'exi(t)', help: 'leave the mode', apply: (s) => void (s.mode = s.mode.kind === 'config' ? { kind: 'exec' } : { kind: 'config' }) },
    { syntax: 'do LINE...', help: 'an exec command run from configuration mode', fallThrough: true, apply: atPrompt },
    { syntax: 'host(name) WORD$name', help: "the router's name", raw: true, apply: hostname },
    { syntax: 'int(erface) LINE...$name', help: 'configure an interface', raw: true, apply: enterInterface },
    {
      syntax: 'router rip',
      help: 'configure RIP',
      apply: (s, l) => {
        s.rip ??= emptyRip('ios', l.src);
        s.mode = { kind: 'rip' };
      },
    },
    {
      syntax: 'router [LINE...]',
      help: 'other routing protocols',
      apply: (s, l) => {
        s.findings.add('unsupported', l.lineNo, `${l.got}: only RIP is modelled`);
        s.mode = { kind: 'block' };
      },
    },
    { syntax: 'ip route A.B.C.D$network A.B.C.D$netmask LINE...$via', help: 'a static route', raw: true, apply: staticRoute },
    {
      syntax: 'ip access-l(ist) [LINE...]',
      help: 'a named access list (its lines are skipped)',
      no: 'same',
      apply: (s, l) => {
        s.findings.add('unsupported', l.lineNo, `${l.got}: named access lists are not modelled (only numbered standard lists, "access-list 1-99 ..."); its lines are skipped`);
        s.mode = { kind: 'block' };
      },
    },
    {
      syntax: 'access-l(ist) LINE...$list',
      help: 'a standard IP access list line',
      raw: true,
      no: 'same',
      apply: (s, l) => {
        config(s);
        readIosAccessList(l, s.accessLists, s.findings, (m) => s.problems.add(l.lineNo, m));
      },
    },
    {
      syntax: 'ip routing',
      help: 'forward IPv4 packets (on unless "no ip routing")',
      no: 'same',
      apply: (s, l) => {
        s.ipForwarding = !l.negated;
        config(s);
      },
    },
    { syntax: 'ip domain-n(ame) WORD$name', help: "the router's domain", fallThrough: true, apply: domainName },
    { syntax: 'ip domain name WORD$name', help: "the router's domain", fallThrough: true, apply: domainName },
    {
      syntax: 'ip domain look(up) [LINE...]',
      help: 'name lookups at the prompt',
      apply: (s, l) => {
        s.findings.add('ignored', l.lineNo, `${l.got}: the simulator's consoles do not resolve names`);
        config(s);
      },
    },
    {
      syntax: 'ip icmp [LINE...]',
      help: 'ICMP rate limits',
      no: 'same',
      apply: (s, l) => {
        s.findings.add('unsupported', l.lineNo, `${l.got}: ICMP rate limiting is not modelled`);
        config(s);
      },
    },
    { syntax: `ip ${oneOf(IGNORED_IP_GLOBAL)} [LINE...]`, help: 'IP services the simulator does not show', no: 'same', apply: (s, l) => (ignored(s, l), config(s)) },
    { syntax: 'ip domain [LINE...]', help: 'name lookups at the prompt', no: 'only', apply: (s, l) => (ignored(s, l), config(s)) },
    {
      syntax: 'router rip [LINE...]',
      help: 'remove the RIP configuration',
      no: 'only',
      apply: (s) => {
        s.rip = null;
        config(s);
      },
    },
    {
      syntax: 'en(able) LINE...',
      help: 'enable password or secret',
      fallThrough: true,
      apply: (s, l) => s.findings.add('ignored', l.lineNo, 'enable password/secret: the simulator has no logins'),
    },
    {
      syntax: 'en(able)',
      help: 'an exec command',
      apply: (s, l) => s.problems.add(l.lineNo, `"enable" is an exec command; in configuration mode expected "enable secret <password>", got ${l.got}`),
    },
    {
      syntax: '<wr(ite)|co(py)|sh(ow)|pi(ng)> [LINE...]',
      help: 'exec commands IOS rejects in configuration mode',
      apply: (s, l) =>
        s.findings.add('unsupported', l.lineNo, `${l.got} in configuration mode: IOS rejects it there (leave with ^Z first, or use "do ${l.words.join(' ')}")`),
    },
    {
      syntax: '<line|control(-plane)|gate(keeper)|mgcp|archive> [LINE...]',
      help: 'sub-modes the simulator does not model (their lines are skipped)',
      apply: (s, l) => {
        s.findings.add('ignored', l.lineNo, `${l.got}: not modelled (console lines, control plane)`);
        s.mode = { kind: 'block' };
      },
    },
    { syntax: `${oneOf(IGNORED_GLOBAL)} [LINE...]`, help: 'settings that do not change what the simulator shows', no: 'same', apply: (s, l) => (ignored(s, l), config(s)) },
  ],
};

// ---------------------------------------------------------------------------------------------
// Interface configuration mode

/** `ip address <address> <netmask> [secondary]`, with IOS's checks (network or broadcast address, overlaps). */
function interfaceAddress(s: IosState, l: CommandLine): void {
  const iface = currentInterface(s);
  if (l.negated) {
    iface.addresses = [];
    return;
  }
  const { words, lineNo, got } = l;
  const expected = `expected "ip address <address> <netmask>", got ${got}`;
  if (words.length < 4 || words.length > 5 || (words.length === 5 && !kw(words[4], 'secondary', 3))) {
    if (kw(words[2], 'dhcp', 4)) s.findings.add('unsupported', lineNo, `${got}: DHCP is not modelled`);
    else s.problems.add(lineNo, expected);
    return;
  }
  const address = readIpv4(words[2]!);
  if (address === null) {
    s.problems.add(lineNo, `expected an IPv4 address such as 10.128.1.1, got "${words[2]}" in ${got}`);
    return;
  }
  const len = readNetmask(words[3]!);
  if (len === null) {
    s.problems.add(lineNo, `expected a contiguous netmask such as 255.255.255.0, got "${words[3]}" in ${got}`);
    return;
  }
  if (len === 0 || (len <= 30 && (address === networkOf(address, len) || address === broadcastOf(address, len)))) {
    s.problems.add(lineNo, `${got}: bad mask /${len} for address ${formatIpv4(address)} (IOS rejects a network or broadcast address, or mask 0.0.0.0)`);
    return;
  }
  for (const other of s.interfaces) {
    if (other === iface) continue;
    for (const a of other.addresses) {
      if (inSubnet(address, a.address, Math.min(len, a.prefixLength))) {
        s.problems.add(lineNo, `${got}: ${formatPrefix(networkOf(address, len), len)} overlaps with ${other.name} (${formatPrefix(a.address, a.prefixLength)}, line ${a.source.line})`);
        return;
      }
    }
  }
  const entry = { address, prefixLength: len, source: l.src };
  if (words.length === 5) {
    if (iface.addresses.length === 0) {
      s.problems.add(lineNo, `${got}: a secondary address needs a primary address first`);
      return;
    }
    iface.addresses.push(entry);
  } else {
    iface.addresses = [entry, ...iface.addresses.slice(1)];
  }
}

/**
 * `ip rip send version 1|2|1 2`, `ip rip receive version 1|2|1 2` (Cisco IOS IP Routing: RIP
 * Configuration Guide, "Configuring RIP": an interface can be configured "to behave differently"
 * from the process's `version`; `1 2` sends or accepts both). The `no` form goes back to the
 * process's setting.
 */
function ripInterfaceVersion(s: IosState, l: CommandLine): void {
  const name = currentInterface(s).name;
  const direction = kw(l.body[2], 'send', 1) ? 'send' : 'receive';
  const entry = s.ripVersions.get(name) ?? {};
  s.ripVersions.set(name, entry);
  if (l.negated) {
    delete entry[direction];
    return;
  }
  const words = l.body.slice(4);
  const versions = words.map((w) => (w === '1' ? 1 : w === '2' ? 2 : null));
  if (words.length < 1 || words.length > 2 || versions.includes(null) || new Set(versions).size !== versions.length) {
    s.problems.add(l.lineNo, `expected "ip rip ${direction} version 1", "version 2" or "version 1 2", got ${l.got}`);
    return;
  }
  entry[direction] = { value: (versions as (1 | 2)[]).sort(), source: l.src };
}

export const IOS_INTERFACE: Table<IosState> = {
  mode: 'config-if',
  commands: [
    { syntax: 'shu(tdown)', help: 'take the interface down', no: 'same', apply: (s, l) => void s.adminState.set(currentInterface(s), l.negated) },
    {
      syntax: 'ip add(ress) A.B.C.D$address A.B.C.D$netmask [sec(ondary)]',
      help: "the interface's address (a secondary one adds to it)",
      raw: true,
      no: 'bare',
      apply: interfaceAddress,
    },
    {
      syntax: 'ip split(-horizon)',
      help: 'RIP split horizon on this interface',
      no: 'same',
      apply: (s, l) => void s.splitHorizon.set(currentInterface(s).name, { value: l.negated ? 'off' : 'on', source: l.src }),
    },
    {
      syntax: 'ip rip <s(end)|r(eceive)> v(ersion) [LINE...]',
      help: 'the RIP versions sent or accepted on this interface (1, 2, or 1 2)',
      raw: true,
      no: 'same',
      apply: ripInterfaceVersion,
    },
    { syntax: 'desc(ription) [LINE...]', help: 'a description', no: 'same', apply: nothing },
    {
      syntax: 'mac(-address) H.H.H$mac',
      help: "the interface's MAC address",
      expected: 'expected "mac-address <hhhh.hhhh.hhhh>"',
      apply: (s, l) => void (currentInterface(s).mac = valueOf<number>(l, 'mac')),
    },
    { syntax: `${oneOf(IGNORED_INTERFACE)} [LINE...]`, help: 'settings that do not change what the simulator shows', no: 'same', apply: ignored },
    { syntax: `ip ${oneOf(IGNORED_IP_INTERFACE)} [LINE...]`, help: 'settings that do not change what the simulator shows', no: 'same', apply: ignored },
    { syntax: 'ip <rip|unrea(chables)|redir(ects)|proxy(-arp)> [LINE...]', help: 'commands the simulator does not model', no: 'same', apply: notModelled },
    { syntax: '<encap(sulation)|stand(by)|vrrp> [LINE...]', help: 'commands the simulator does not model', no: 'same', apply: notModelled },
  ] satisfies IosCommand[],
};
