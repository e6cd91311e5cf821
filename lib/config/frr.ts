/**
 * Quagga and FRR configuration files: `zebra.conf` (interfaces, addresses, static routes, forwarding),
 * `ripd.conf` (`router rip` and per-interface RIP settings), the integrated `frr.conf` (both), and the
 * `daemons` file (which daemons run).
 *
 * One reader serves all three config files, the way vtysh reads them: a command that is not valid in
 * the current node is tried at the top level (so indentation means nothing). A command belonging to
 * another daemon (an `ip address` in ripd.conf) is reported: that daemon would reject it.
 * `hostname`, `password`, `log …`, `line vty` and similar are harmless and accepted silently.
 */
import { formatPrefix, networkOf, readCidr, readIpv4 } from './addr';
import { emptyRip, isLinuxInterfaceName, kw, readInt, readTimersBasic } from './common';
import { Findings, Problems, quote, ref } from './errors';
import { defaultMetric, redistribute } from './ios';
import type { Ipv4Addr } from '../wire/types';
import type { ConfigFinding, RipConfigSpec, Sourced, SourceRef, StaticRouteSpec } from './spec';

export interface FrrInterfaceAddress {
  address: Ipv4Addr;
  prefixLength: number;
  /** `ip address A/L label lo:0`. */
  label: string | null;
  source: SourceRef;
}

/** An `interface X` block as written; X may be an alias label such as `lo:0`. */
export interface FrrInterface {
  name: string;
  addresses: FrrInterfaceAddress[];
  /** `shutdown` / `no shutdown`; null when not written. */
  up: Sourced<boolean> | null;
  source: SourceRef;
}

export interface FrrConfig {
  /** Which file this was read as. */
  daemon: 'zebra' | 'ripd' | 'frr';
  hostname: Sourced<string> | null;
  interfaces: FrrInterface[];
  staticRoutes: StaticRouteSpec[];
  /** `ip forwarding` / `no ip forwarding`; null when not written. */
  ipForwarding: Sourced<boolean> | null;
  rip: RipConfigSpec | null;
  findings: ConfigFinding[];
}

export interface FrrReadOptions {
  /**
   * The line in `file` of the text's first line, when the text is embedded in another file (a heredoc
   * in a setup script writing /etc/quagga/zebra.conf): line numbers then point into that file.
   */
  firstLine?: number;
}

/** Reads a Quagga/FRR `zebra.conf`. Throws LabFileError listing every error. */
export function parseZebraConf(text: string, file: string, options: FrrReadOptions = {}): FrrConfig {
  return parseFrrText(text, file, 'zebra', options.firstLine ?? 1);
}

/** Reads a Quagga/FRR `ripd.conf`. Throws LabFileError listing every error. */
export function parseRipdConf(text: string, file: string, options: FrrReadOptions = {}): FrrConfig {
  return parseFrrText(text, file, 'ripd', options.firstLine ?? 1);
}

/** Reads an integrated FRR `frr.conf` (zebra and ripd commands in one file). */
export function parseFrrConf(text: string, file: string, options: FrrReadOptions = {}): FrrConfig {
  return parseFrrText(text, file, 'frr', options.firstLine ?? 1);
}

type Node = { kind: 'top' } | { kind: 'interface'; iface: FrrInterface } | { kind: 'rip' } | { kind: 'block' };

const HARMLESS_TOP = new Set([
  'password',
  'log',
  'line',
  'service',
  'debug',
  'frr',
  'agentx',
  'access-list',
  'username',
  'banner',
  'table',
]);

function parseFrrText(text: string, file: string, daemon: FrrConfig['daemon'], firstLine: number): FrrConfig {
  const problems = new Problems(file);
  const findings = new Findings(file);
  const interfaces: FrrInterface[] = [];
  const staticRoutes: StaticRouteSpec[] = [];
  let hostname: Sourced<string> | null = null;
  let ipForwarding: Sourced<boolean> | null = null;
  let rip: RipConfigSpec | null = null;
  let node: Node = { kind: 'top' };
  /** Per-interface RIP settings live on the RIP config; an `interface` block may come before `router rip`. */
  const pendingRipInterfaces: RipConfigSpec['interfaces'] = [];
  const zebraOk = daemon !== 'ripd';
  const ripOk = daemon !== 'zebra';

  const lines = text.split(/\r\n|\n|\r/);
  lines.forEach((raw, index) => {
    const lineNo = firstLine + index;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('!') || trimmed.startsWith('#')) return;
    const words = trimmed.split(/\s+/);
    const got = quote(trimmed);
    const src = ref(file, lineNo);
    let done = false;
    if (node.kind === 'interface') done = interfaceCommand(node.iface, words, lineNo, got, src);
    else if (node.kind === 'rip') done = ripCommand(rip!, words, lineNo, got, src);
    else if (node.kind === 'block') done = !isTopLevel(words);
    if (!done) done = topCommand(words, lineNo, got, src);
    if (!done) findings.add('unsupported', lineNo, `${got} is not modelled by the simulator`);
  });

  function isTopLevel(words: string[]): boolean {
    const w = words[0];
    return kw(w, 'interface', 3) || kw(w, 'router', 3) || kw(w, 'hostname', 4) || kw(w, 'ip', 2) || kw(w, 'line', 3) || kw(w, 'end', 3);
  }

  function topCommand(words: string[], lineNo: number, got: string, src: SourceRef): boolean {
    const w = words[0]!;
    if (kw(w, 'exit', 3) || kw(w, 'exit-vrf', 8) || kw(w, 'quit', 4)) {
      node = { kind: 'top' };
      return true;
    }
    if (kw(w, 'hostname', 4)) {
      if (words.length !== 2) problems.add(lineNo, `expected "hostname <name>", got ${got}`);
      else hostname = { value: words[1]!, source: src };
      node = { kind: 'top' };
      return true;
    }
    if (kw(w, 'interface', 3)) {
      const name = words[1];
      if (name === undefined || !isLinuxInterfaceName(name) || (words.length > 2 && !kw(words[2], 'vrf', 3))) {
        problems.add(lineNo, `expected "interface <name>" such as "interface eth1", got ${got}`);
        node = { kind: 'block' };
        return true;
      }
      if (words.length > 2) findings.add('unsupported', lineNo, `${got}: VRFs are not modelled`);
      let iface = interfaces.find((i) => i.name === name);
      if (iface === undefined) {
        iface = { name, addresses: [], up: null, source: src };
        interfaces.push(iface);
      }
      node = { kind: 'interface', iface };
      return true;
    }
    if (kw(w, 'router', 3)) {
      if (kw(words[1], 'rip', 3) && (words.length === 2 || (words.length === 4 && kw(words[2], 'vrf', 3)))) {
        if (!ripOk) {
          findings.add('unsupported', lineNo, `${got} in zebra.conf: zebra does not read it (it belongs in ripd.conf)`);
          node = { kind: 'block' };
          return true;
        }
        if (words.length === 4) findings.add('unsupported', lineNo, `${got}: VRFs are not modelled`);
        rip ??= emptyRip('frr', src);
        node = { kind: 'rip' };
        return true;
      }
      findings.add('unsupported', lineNo, `${got}: only RIP is modelled`);
      node = { kind: 'block' };
      return true;
    }
    if (kw(w, 'ip', 2) && kw(words[1], 'forwarding', 4) && words.length === 2) {
      ipForwarding = { value: true, source: src };
      node = { kind: 'top' };
      return true;
    }
    if (kw(w, 'no', 2) && kw(words[1], 'ip', 2) && kw(words[2], 'forwarding', 4) && words.length === 3) {
      ipForwarding = { value: false, source: src };
      node = { kind: 'top' };
      return true;
    }
    if (kw(w, 'ip', 2) && kw(words[1], 'route', 5)) {
      node = { kind: 'top' };
      if (!zebraOk) {
        findings.add('unsupported', lineNo, `${got} in ripd.conf: ripd does not read it (static routes belong in zebra.conf)`);
        return true;
      }
      staticRoute(words, lineNo, got, src);
      return true;
    }
    if (kw(w, 'enable', 2) && kw(words[1], 'password', 4)) return true;
    if (kw(w, 'end', 3) && words.length === 1) {
      node = { kind: 'top' };
      return true;
    }
    if (HARMLESS_TOP.has(w.toLowerCase())) {
      node = w.toLowerCase() === 'line' ? { kind: 'block' } : { kind: 'top' };
      return true;
    }
    return false;
  }

  function staticRoute(words: string[], lineNo: number, got: string, src: SourceRef): void {
    const expected = `expected "ip route <prefix/length> <next-hop address | interface>", got ${got}`;
    const p = words[2] === undefined ? null : readCidr(words[2]);
    const hop = words[3];
    if (p === null || hop === undefined) {
      problems.add(lineNo, expected);
      return;
    }
    if (networkOf(p.address, p.prefixLength) !== p.address) {
      problems.add(lineNo, `${got}: ${words[2]} has host bits set; expected the network address ${formatPrefix(networkOf(p.address, p.prefixLength), p.prefixLength)}`);
      return;
    }
    const via = readIpv4(hop);
    let device: string | null = null;
    if (via === null) {
      if (!isLinuxInterfaceName(hop) || hop === 'blackhole' || hop === 'reject' || hop === 'Null0') {
        findings.add('unsupported', lineNo, `${got}: only routes via an address or an interface are modelled`);
        return;
      }
      device = hop;
    }
    if (words.length > 4) findings.add('unsupported', lineNo, `${got}: "${words.slice(4).join(' ')}" is not modelled`);
    staticRoutes.push({ prefix: p.address, prefixLength: p.prefixLength, via, device, source: src });
  }

  function interfaceCommand(iface: FrrInterface, words: string[], lineNo: number, got: string, src: SourceRef): boolean {
    const negated = kw(words[0], 'no', 2);
    const cmd = negated ? words.slice(1) : words;
    const c0 = cmd[0];
    if (kw(c0, 'ip', 2) && kw(cmd[1], 'address', 3)) {
      if (!zebraOk) {
        findings.add('unsupported', lineNo, `${got} in ripd.conf: ripd does not configure addresses (they belong in zebra.conf)`);
        return true;
      }
      const p = cmd[2] === undefined ? null : readCidr(cmd[2]);
      const labelOk = cmd.length === 3 || (cmd.length === 5 && kw(cmd[3], 'label', 3) && isLinuxInterfaceName(cmd[4]!));
      if (p === null || !labelOk) {
        problems.add(lineNo, `expected "ip address <address>/<length> [label <label>]" such as "ip address 10.128.5.2/24", got ${got}`);
        return true;
      }
      if (p.prefixLength === 0) {
        problems.add(lineNo, `${got}: a /0 prefix is not an interface address`);
        return true;
      }
      if (negated) {
        iface.addresses = iface.addresses.filter((a) => !(a.address === p.address && a.prefixLength === p.prefixLength));
        return true;
      }
      const label = cmd.length === 5 ? cmd[4]! : null;
      if (!iface.addresses.some((a) => a.address === p.address && a.prefixLength === p.prefixLength)) {
        iface.addresses.push({ address: p.address, prefixLength: p.prefixLength, label, source: src });
      }
      return true;
    }
    if (kw(c0, 'ip', 2) && kw(cmd[1], 'rip', 3)) {
      if (!ripOk) {
        findings.add('unsupported', lineNo, `${got} in zebra.conf: zebra does not read it (it belongs in ripd.conf)`);
        return true;
      }
      if (kw(cmd[2], 'split-horizon', 5)) {
        const poisoned = cmd.length === 4 && kw(cmd[3], 'poisoned-reverse', 3);
        if (cmd.length > 4 || (cmd.length === 4 && !poisoned)) {
          problems.add(lineNo, `expected "ip rip split-horizon [poisoned-reverse]" or "no ip rip split-horizon", got ${got}`);
          return true;
        }
        const value = negated ? (poisoned ? 'on' : 'off') : poisoned ? 'poisoned-reverse' : 'on';
        const r = ripSettingsFor(iface.name, src);
        r.splitHorizon = { value, source: src };
        return true;
      }
      findings.add('unsupported', lineNo, `${got} is not modelled by the simulator`);
      return true;
    }
    if (kw(c0, 'shutdown', 3) && cmd.length === 1) {
      iface.up = { value: negated, source: src };
      return true;
    }
    if (
      kw(c0, 'description', 4) ||
      kw(c0, 'link-detect', 6) ||
      kw(c0, 'multicast', 5) ||
      kw(c0, 'bandwidth', 4) ||
      (kw(c0, 'ipv6', 4) && kw(cmd[1], 'nd', 2))
    ) {
      return true;
    }
    return false;
  }

  function ripSettingsFor(name: string, src: SourceRef): RipConfigSpec['interfaces'][number] {
    let r = pendingRipInterfaces.find((x) => x.name === name);
    if (r === undefined) {
      r = { name, splitHorizon: null, source: src };
      pendingRipInterfaces.push(r);
    }
    return r;
  }

  function ripCommand(r: RipConfigSpec, words: string[], lineNo: number, got: string, src: SourceRef): boolean {
    const negated = kw(words[0], 'no', 2);
    const cmd = negated ? words.slice(1) : words;
    const c0 = cmd[0];
    if (kw(c0, 'version', 1)) {
      if (negated) r.version = null;
      else if (cmd.length === 2 && (cmd[1] === '1' || cmd[1] === '2')) r.version = { value: cmd[1] === '1' ? 1 : 2, source: src };
      else problems.add(lineNo, `expected "version 1" or "version 2", got ${got}`);
      return true;
    }
    if (kw(c0, 'network', 2)) {
      const arg = cmd[1];
      if (arg === undefined || cmd.length !== 2) {
        problems.add(lineNo, `expected "network <prefix/length>" or "network <interface>", got ${got}`);
        return true;
      }
      const p = readCidr(arg);
      if (p !== null) {
        const net = networkOf(p.address, p.prefixLength);
        if (negated) {
          r.networks = r.networks.filter((n) => !(n.kind === 'prefix' && n.prefix === net && n.prefixLength === p.prefixLength));
          return true;
        }
        if (net !== p.address) {
          findings.add('note', lineNo, `${got}: ripd masks the host bits and uses ${formatPrefix(net, p.prefixLength)}`);
        }
        r.networks.push({ kind: 'prefix', prefix: net, prefixLength: p.prefixLength, written: arg, source: src });
        return true;
      }
      if (/^[\d.]+(\/.*)?$/.test(arg) || !isLinuxInterfaceName(arg)) {
        problems.add(lineNo, `expected "network <prefix/length>" such as "network 10.128.0.0/16" or "network <interface>", got ${got}`);
        return true;
      }
      if (negated) r.networks = r.networks.filter((n) => !(n.kind === 'interface' && n.name === arg));
      else r.networks.push({ kind: 'interface', name: arg, source: src });
      return true;
    }
    if (kw(c0, 'neighbor', 3)) {
      const a = cmd[1] === undefined ? null : readIpv4(cmd[1]);
      if (a === null || cmd.length !== 2) problems.add(lineNo, `expected "neighbor <address>", got ${got}`);
      else if (negated) r.neighbors = r.neighbors.filter((x) => x.value !== a);
      else r.neighbors.push({ value: a, source: src });
      return true;
    }
    if (kw(c0, 'passive-interface', 3)) {
      const name = cmd[1];
      if (name === undefined || cmd.length !== 2 || !isLinuxInterfaceName(name)) {
        problems.add(lineNo, `expected "passive-interface <interface>" or "passive-interface default", got ${got}`);
      } else if (name === 'default') {
        r.passiveDefault = negated ? null : src;
      } else {
        (negated ? r.nonPassiveInterfaces : r.passiveInterfaces).push({ value: name, source: src });
      }
      return true;
    }
    if (kw(c0, 'redistribute', 3)) {
      if (kw(cmd[1], 'kernel', 1) || kw(cmd[1], 'ospf', 1) || kw(cmd[1], 'bgp', 1)) {
        findings.add('unsupported', lineNo, `${got}: only "redistribute connected" and "redistribute static" are modelled`);
        return true;
      }
      redistribute(r, cmd, negated, lineNo, got, src, findings, problems);
      return true;
    }
    if (kw(c0, 'default-metric', 9)) {
      defaultMetric(r, cmd, negated, 16, lineNo, got, src, problems);
      return true;
    }
    if (kw(c0, 'default-information', 9)) {
      if (cmd.length === 2 && kw(cmd[1], 'originate', 1)) r.defaultInformationOriginate = negated ? null : src;
      else problems.add(lineNo, `expected "default-information originate", got ${got}`);
      return true;
    }
    if (kw(c0, 'allow-ecmp', 3)) {
      if (negated) {
        r.allowEcmp = null;
        return true;
      }
      if (cmd.length === 1) r.allowEcmp = { maxPaths: null, source: src };
      else {
        const n = readInt(cmd[1], 1, 256);
        if (n === null || cmd.length !== 2) problems.add(lineNo, `expected "allow-ecmp [<1-256>]", got ${got}`);
        else r.allowEcmp = { maxPaths: n, source: src };
      }
      return true;
    }
    if (kw(c0, 'timers', 2) && kw(cmd[1], 'basic', 1)) {
      if (negated) {
        r.timers = null;
        return true;
      }
      const t = readTimersBasic('frr', cmd.slice(2), src);
      if ('error' in t) problems.add(lineNo, `${t.error}, got ${got}`);
      else r.timers = t;
      return true;
    }
    if (
      kw(c0, 'distance', 3) ||
      kw(c0, 'offset-list', 2) ||
      kw(c0, 'route', 5) ||
      kw(c0, 'distribute-list', 3) ||
      kw(c0, 'send-lifetime', 3) ||
      kw(c0, 'propagation-delay', 3)
    ) {
      findings.add('unsupported', lineNo, `${got} is not modelled by the simulator`);
      return true;
    }
    return false;
  }

  problems.throwIfAny();
  const finalRip = rip as RipConfigSpec | null;
  if (finalRip !== null) finalRip.interfaces.push(...pendingRipInterfaces);
  else {
    for (const p of pendingRipInterfaces) {
      findings.list.push({ severity: 'ignored', message: `RIP settings for ${p.name}, but there is no "router rip"`, source: p.source });
    }
  }
  return { daemon, hostname, interfaces, staticRoutes, ipForwarding, rip: finalRip, findings: findings.list };
}

// ---------------------------------------------------------------------------------------------
// daemons

export interface DaemonsConfig {
  /** `ripd=yes` → ripd: true. Only `yes`/`no` entries; options such as `zebra_options=` are skipped. */
  daemons: Record<string, Sourced<boolean>>;
  findings: ConfigFinding[];
}

/** Reads Quagga's/FRR's `daemons` file (`zebra=yes`, `ripd=no`, `# comments`). */
export function parseDaemons(text: string, file: string, options: FrrReadOptions = {}): DaemonsConfig {
  const problems = new Problems(file);
  const daemons: Record<string, Sourced<boolean>> = {};
  const firstLine = options.firstLine ?? 1;
  text.split(/\r\n|\n|\r/).forEach((raw, index) => {
    const lineNo = firstLine + index;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m === null) {
      problems.add(lineNo, `expected "<daemon>=yes" or "<daemon>=no" such as "ripd=yes", got ${quote(line)}`);
      return;
    }
    const name = m[1]!;
    const value = m[2]!.replace(/^(["'])(.*)\1$/, '$2');
    if (/_options$|^vtysh_enable$|^watchfrr|^MAX_FDS$|^frr_profile$|_wrap$/.test(name) || name.startsWith('FRR_') || name.startsWith('QUAGGA_')) {
      return;
    }
    if (value !== 'yes' && value !== 'no') {
      problems.add(lineNo, `expected "${name}=yes" or "${name}=no", got ${quote(line)}`);
      return;
    }
    daemons[name] = { value: value === 'yes', source: ref(file, lineNo) };
  });
  problems.throwIfAny();
  return { daemons, findings: [] };
}
