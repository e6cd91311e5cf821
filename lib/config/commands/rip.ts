/**
 * The `router rip` mode, one table for IOS and Quagga/FRR. Where the two CLIs share a command its entry
 * is shared (one `apply`), with each dialect's spelling when they differ (IOS's minimum abbreviations,
 * FRR's argument ranges); an entry with one dialect's syntax only is that dialect's alone.
 *
 * FRR's declarations are quoted from ripd/rip_cli.c (DEFPY strings) beside each entry. The minimum
 * abbreviations of the FRR spellings are those this reader always accepted (vtysh itself accepts any
 * unambiguous prefix).
 */
import { classfulPrefixLength, formatIpv4, formatPrefix, networkOf, readCidr } from '../addr';
import { isLinuxInterfaceName, kw, readInt } from '../common';
import type { Findings, Problems } from '../errors';
import type { RipConfigSpec } from '../spec';
import { seconds } from '../../sim/time';
import { valueOf, type Command, type CommandLine, type Dialect, type Table } from './engine';
import { normalizeIosInterfaceName } from './ios-names';
import { FRR_RIP_POLICY_COMMANDS } from './frr-policy';
import { IOS_RIP_POLICY_COMMANDS } from './ios-policy';

/** What a `router rip` command changes: the RIP configuration being read, and where problems go. */
export interface RipState {
  rip: RipConfigSpec;
  dialect: Dialect;
  problems: Problems;
  findings: Findings;
}

type RipCommand = Command<RipState>;

const notModelled = (s: RipState, l: CommandLine): void => s.findings.add('unsupported', l.lineNo, `${l.got} is not modelled by the simulator`);

/** `redistribute connected|static|kernel [metric N] [route-map …]`: the protocols the simulator has (kernel: FRR's). */
function redistribute(s: RipState, l: CommandLine): void {
  const r = s.rip;
  const cmd = l.body;
  const proto = kw(cmd[1], 'connected', 4) ? 'connected' : kw(cmd[1], 'static', 3) ? 'static' : s.dialect === 'frr' && kw(cmd[1], 'kernel', 1) ? 'kernel' : null;
  if (proto === null) {
    if (cmd[1] === undefined) s.problems.add(l.lineNo, `expected "redistribute connected|static [metric <1-16>]", got ${l.got}`);
    else s.findings.add('unsupported', l.lineNo, `${l.got}: only "redistribute connected", "redistribute static" and (FRR) "redistribute kernel" are modelled`);
    return;
  }
  r.redistribute = r.redistribute.filter((x) => x.protocol !== proto);
  if (l.negated) return;
  let metric: number | null = null;
  let i = 2;
  if (kw(cmd[i], 'metric', 1)) {
    metric = readInt(cmd[i + 1], 0, 16);
    if (metric === null) {
      s.problems.add(l.lineNo, `expected "redistribute ${proto} metric <0-16>", got ${l.got}`);
      return;
    }
    i += 2;
  }
  if (i < cmd.length) s.findings.add('unsupported', l.lineNo, `${l.got}: "${cmd.slice(i).join(' ')}" (route-map) is not modelled`);
  r.redistribute.push({ protocol: proto, metric, source: l.src });
}

/** IOS: `network <classful network>`; whatever is typed, IOS stores the classful network. */
function iosNetwork(s: RipState, l: CommandLine): void {
  const r = s.rip;
  const addr = valueOf<number>(l, 'address');
  const written = l.args[0]!;
  const len = classfulPrefixLength(addr);
  if (len === null) {
    s.problems.add(l.lineNo, `${l.got}: ${written} is not in a class A, B or C network (IOS says "% Invalid input")`);
    return;
  }
  const net = networkOf(addr, len);
  if (l.negated) {
    r.networks = r.networks.filter((n) => !(n.kind === 'prefix' && n.prefix === net));
    return;
  }
  if (net !== addr) {
    s.findings.add('note', l.lineNo, `${l.got}: RIP networks are classful on IOS; it stores "network ${formatIpv4(net)}" (every interface in ${formatPrefix(net, len)} runs RIP)`);
  }
  if (!r.networks.some((n) => n.kind === 'prefix' && n.prefix === net)) {
    r.networks.push({ kind: 'prefix', prefix: net, prefixLength: len, written, source: l.src });
  }
}

/** FRR: `network A.B.C.D/M` (host bits masked) or `network IFNAME` (rip_network_prefix, rip_network_if). */
function frrNetwork(s: RipState, l: CommandLine): void {
  const r = s.rip;
  const arg = l.args[0];
  if (arg === undefined || l.args.length !== 1) {
    s.problems.add(l.lineNo, `expected "network <prefix/length>" or "network <interface>", got ${l.got}`);
    return;
  }
  const p = readCidr(arg);
  if (p !== null) {
    const net = networkOf(p.address, p.prefixLength);
    if (l.negated) {
      r.networks = r.networks.filter((n) => !(n.kind === 'prefix' && n.prefix === net && n.prefixLength === p.prefixLength));
      return;
    }
    if (net !== p.address) s.findings.add('note', l.lineNo, `${l.got}: ripd masks the host bits and uses ${formatPrefix(net, p.prefixLength)}`);
    r.networks.push({ kind: 'prefix', prefix: net, prefixLength: p.prefixLength, written: arg, source: l.src });
    return;
  }
  if (/^[\d.]+(\/.*)?$/.test(arg) || !isLinuxInterfaceName(arg)) {
    s.problems.add(l.lineNo, `expected "network <prefix/length>" such as "network 10.128.0.0/16" or "network <interface>", got ${l.got}`);
    return;
  }
  if (l.negated) r.networks = r.networks.filter((n) => !(n.kind === 'interface' && n.name === arg));
  else r.networks.push({ kind: 'interface', name: arg, source: l.src });
}

/** IOS: `passive-interface <interface>` (the name may be two words, `Ethernet 0/1`) or `passive-interface default`. */
function iosPassiveInterface(s: RipState, l: CommandLine): void {
  const r = s.rip;
  if (l.args.length === 1 && kw(l.args[0], 'default', 3)) {
    r.passiveDefault = l.negated ? null : l.src;
    return;
  }
  const name = normalizeIosInterfaceName(l.args.join(' '));
  if (name === null) {
    s.problems.add(l.lineNo, `expected "passive-interface <interface>" or "passive-interface default", got ${l.got}`);
    return;
  }
  // Cisco IOS IP Routing: Protocol-Independent Command Reference, `passive-interface`: "no
  // passive-interface" re-enables updates on the interface. Without a passive default that takes it
  // off the passive list; under one it is an exception to the default.
  const others = (list: typeof r.passiveInterfaces) => list.filter((p) => p.value !== name);
  r.passiveInterfaces = others(r.passiveInterfaces);
  r.nonPassiveInterfaces = others(r.nonPassiveInterfaces);
  if (!l.negated) r.passiveInterfaces.push({ value: name, source: l.src });
  else if (r.passiveDefault !== null) r.nonPassiveInterfaces.push({ value: name, source: l.src });
}

/**
 * FRR: `[no] passive-interface default|IFNAME`. ripd/rip_cli.c keeps the interfaces that differ from
 * the default: under `passive-interface default`, `no passive-interface IF` adds IF to the
 * non-passive list and `passive-interface IF` takes it off; without the default, `passive-interface
 * IF` adds it to the passive list and `no passive-interface IF` takes it off.
 */
function frrPassiveInterface(s: RipState, l: CommandLine): void {
  const r = s.rip;
  const name = valueOf<string>(l, 'name');
  if (name === 'default') {
    r.passiveDefault = l.negated ? null : l.src;
    return;
  }
  const listed = r.passiveDefault !== null ? r.nonPassiveInterfaces : r.passiveInterfaces;
  const adds = r.passiveDefault !== null ? l.negated : !l.negated;
  const kept = listed.filter((p) => p.value !== name);
  listed.length = 0;
  listed.push(...kept);
  if (adds) listed.push({ value: name, source: l.src });
}

/** `timers basic`, in each dialect's terms (the spec keeps them; lib/proto/rip maps them). */
function timersBasic(s: RipState, l: CommandLine): void {
  if (l.negated) {
    s.rip.timers = null;
    return;
  }
  const t = (name: string): number => seconds(valueOf<number>(l, name));
  s.rip.timers =
    s.dialect === 'ios'
      ? { flavour: 'ios', update: t('update'), invalid: t('invalid'), holddown: t('holddown'), flush: t('flush'), source: l.src }
      : { flavour: 'frr', update: t('update'), timeout: t('timeout'), garbage: t('garbage'), source: l.src };
}

const COMMANDS: readonly RipCommand[] = [
  {
    // FRR: "version (1-2)", "no version [(1-2)]"
    syntax: { ios: 'vers(ion) <1|2>$version', frr: 'v(ersion) <1|2>$version' },
    help: 'the RIP version sent and accepted',
    select: 1,
    no: 'bare',
    expected: 'expected "version 1" or "version 2"',
    apply: (s, l) => {
      s.rip.version = l.negated ? null : { value: valueOf<string>(l, 'version') === '1' ? 1 : 2, source: l.src };
    },
  },
  {
    syntax: { ios: 'net(work) A.B.C.D$address' },
    help: 'run RIP on the interfaces in a classful network',
    no: 'same',
    expected: 'expected "network <classful network address>" such as "network 10.0.0.0"',
    apply: iosNetwork,
  },
  {
    // FRR: "[no] network A.B.C.D/M", "[no] network WORD"
    syntax: { frr: 'ne(twork) <A.B.C.D/M$prefix|IFNAME$interface>' },
    help: 'run RIP on the interfaces in a prefix, or on one interface',
    select: 1,
    raw: true,
    no: 'same',
    apply: frrNetwork,
  },
  {
    // FRR: "[no] neighbor A.B.C.D"
    syntax: 'nei(ghbor) A.B.C.D$address',
    help: 'also send updates to this address (unicast)',
    no: 'same',
    apply: (s, l) => {
      const a = valueOf<number>(l, 'address');
      if (l.negated) s.rip.neighbors = s.rip.neighbors.filter((x) => x.value !== a);
      else s.rip.neighbors.push({ value: a, source: l.src });
    },
  },
  {
    syntax: { ios: 'auto(-summary)' },
    help: 'summarise at classful network boundaries',
    no: 'same',
    apply: (s, l) => {
      s.rip.autoSummary = { value: !l.negated, source: l.src };
    },
  },
  {
    // FRR: "timers basic (5-2147483647)$update (5-2147483647)$timeout (5-2147483647)$garbage", the same
    // in 8.4 and 10.x (ripd/rip_cli.c rip_timers). Real FRR 8.4.4 (ripd --dryrun) refuses
    // "timers basic 30 3 3" and "timers basic 1 10 15" with "No such command", and 10.x declares the
    // same ranges: no release reads a timer under 5 s.
    syntax: {
      ios: 'timer(s) b(asic) (1-4294967295)$update (0-4294967295)$invalid (0-4294967295)$holddown (0-4294967295)$flush',
      frr: 'ti(mers) b(asic) (5-2147483647)$update (5-2147483647)$timeout (5-2147483647)$garbage',
    },
    help: 'the update interval and the route timers, in seconds',
    no: 'bare',
    expected: {
      ios: 'expected "timers basic <update> <invalid> <holddown> <flush>" in seconds, e.g. "timers basic 30 180 180 240"',
      frr: 'expected "timers basic <update> <timeout> <garbage>", each 5-2147483647 seconds in every FRR release (ripd/rip_cli.c), e.g. "timers basic 30 180 120"',
    },
    apply: timersBasic,
  },
  {
    // FRR: "[no] passive-interface default", "[no] passive-interface IFNAME"
    syntax: { ios: 'passive(-interface) <def(ault)|WORD$interface>' },
    help: 'do not send updates on an interface (or on all: default)',
    select: 1,
    raw: true,
    no: 'same',
    apply: iosPassiveInterface,
  },
  {
    syntax: { frr: 'pas(sive-interface) IFNAME$name' },
    help: 'do not send updates on an interface (or on all: default)',
    no: 'same',
    expected: 'expected "passive-interface <interface>" or "passive-interface default"',
    apply: frrPassiveInterface,
  },
  {
    // FRR: "[no] default-information originate"
    syntax: { ios: 'default-i(nformation) orig(inate) [LINE...$options]', frr: 'default-i(nformation) o(riginate)' },
    help: 'advertise a default route',
    select: 1,
    no: 'same',
    expected: 'expected "default-information originate"',
    apply: (s, l) => {
      s.rip.defaultInformationOriginate = l.negated ? null : l.src;
      const options = valueOf<string | undefined>(l, 'options');
      if (options !== undefined) s.findings.add('unsupported', l.lineNo, `${l.got}: "${options}" is not modelled; read as "default-information originate"`);
    },
  },
  {
    syntax: { frr: 'red(istribute) <o(spf)|b(gp)> [LINE...]' },
    help: 'routes of protocols the simulator does not run',
    no: 'same',
    apply: (s, l) => s.findings.add('unsupported', l.lineNo, `${l.got}: only "redistribute connected", "redistribute static" and "redistribute kernel" are modelled`),
  },
  {
    // FRR: "redistribute " FRR_REDIST_STR_RIPD "$protocol [{metric (0-16)|route-map WORD}]"
    syntax: {
      ios: 'redis(tribute) <conn(ected)|sta(tic)>$protocol [m(etric) (0-16)$metric] [route-map WORD$map]',
      frr: 'red(istribute) <conn(ected)|sta(tic)|k(ernel)>$protocol [m(etric) (0-16)$metric] [route-map WORD$map]',
    },
    help: 'advertise connected, static or (FRR) kernel routes',
    select: 1,
    raw: true,
    no: 'same',
    apply: redistribute,
  },
  {
    // FRR: "default-metric (1-16)", "no default-metric [(1-16)]"; IOS takes any 32-bit value (RIP treats
    // 16 and above as unreachable).
    syntax: { ios: 'default-m(etric) (1-4294967295)$metric', frr: 'default-m(etric) (1-16)$metric' },
    help: 'the metric of redistributed routes',
    no: 'bare',
    apply: (s, l) => {
      s.rip.defaultMetric = l.negated ? null : { value: valueOf<number>(l, 'metric'), source: l.src };
    },
  },
  {
    syntax: { ios: 'maxi(mum-paths) (1-32)$paths' },
    help: 'equal-cost paths kept per destination',
    no: 'bare',
    apply: (s, l) => {
      s.rip.allowEcmp = l.negated ? null : { maxPaths: valueOf<number>(l, 'paths'), source: l.src };
    },
  },
  {
    // FRR 9.0 and later: "allow-ecmp [" CMD_RANGE_STR(1, MULTIPATH_NUM) "]" (ripd/rip_cli.c, pull request
    // 13430 "ripd: Implement allow-ecmp X command"). MULTIPATH_NUM is a build option (configure.ac
    // --enable-multipath); 256 is the widest this reader takes. FRR 8.4: "[no] allow-ecmp" only; real FRR 8.4.4 refuses "allow-ecmp 2" (ripd --dryrun).
    syntax: { frr: 'all(ow-ecmp) [(1-256)$paths]' },
    frrHistory: [{ before: { major: 9, minor: 0 }, syntax: 'all(ow-ecmp)', has: 'has "allow-ecmp" without a count', newForm: 'allow-ecmp <1-MULTIPATH_NUM>' }],
    help: 'keep equal-cost paths (up to a number of them)',
    no: 'bare',
    apply: (s, l) => {
      s.rip.allowEcmp = l.negated ? null : { maxPaths: valueOf<number | undefined>(l, 'paths') ?? null, source: l.src };
    },
  },
  ...FRR_RIP_POLICY_COMMANDS,
  ...IOS_RIP_POLICY_COMMANDS,
  {
    // ripd/rip_cli.c (10.x): "[no] bfd default-profile BFDPROF$profile"; FRR 9.0 and later, as "ip rip bfd".
    syntax: { frr: 'bfd default-profile WORD$profile' },
    frrHistory: [{ before: { major: 9, minor: 0 }, syntax: null }],
    help: 'the BFD profile of RIP peers without their own',
    no: 'bare',
    apply: (s, l) => {
      if (l.negated) delete s.rip.bfdDefaultProfile;
      else s.rip.bfdDefaultProfile = { value: valueOf<string>(l, 'profile'), source: l.src };
    },
  },
  {
    syntax: {
      ios: '<out(put-delay)|fla(sh-update-threshold)|val(idate-update-source)|inp(ut-queue)|distr(ibute-list)|addr(ess-family)> [LINE...]',
      frr: '<route|dis(tribute-list)|sen(d-lifetime)|pro(pagation-delay)> [LINE...]',
    },
    help: 'commands the simulator does not model',
    no: 'same',
    apply: notModelled,
  },
];

export const ROUTER_RIP: Table<RipState> = { mode: 'config-router', commands: COMMANDS };
