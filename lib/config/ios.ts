/**
 * A Cisco IOS configuration subset, in the two forms people keep it:
 *
 * - a startup-config (`show running-config` text: `hostname`, `interface …`, `!`, `end`);
 * - a pasted CLI session, as in the write-up §2: `enable`, `conf t`, `interface Ethernet0/0`,
 *   ` ip address 10.128.1.1 255.255.255.0`, ` no shut`, `!`, `^Z`, `wr`.
 *
 * Modelled: hostname, interfaces (address, secondary addresses, shutdown, mac-address), static routes,
 * `ip routing`, and `router rip` with its subcommands. Lines that do not change what the simulator
 * shows (`duplex auto`, `line con 0`, `service timestamps …`) are `ignored` findings; anything else we
 * do not model is an `unsupported` finding with its line. Wrong arguments are errors.
 *
 * Like IOS: keywords may be abbreviated (`conf t`, `int e0/0`, `no shut`), indentation means nothing,
 * and a global command typed in a sub-mode leaves the sub-mode and runs globally.
 */
import { classfulPrefixLength, formatIpv4, formatPrefix, inSubnet, networkOf, broadcastOf, readIpv4, readMac, readNetmask } from './addr';
import { emptyRip, interfaceIn, kw, readInt, readTimersBasic } from './common';
import { Findings, Problems, quote, ref } from './errors';
import type {
  ConfigFinding,
  InterfaceSpec,
  RipConfigSpec,
  Sourced,
  SourceRef,
  SplitHorizonMode,
  StaticRouteSpec,
} from './spec';

export interface IosConfig {
  hostname: Sourced<string> | null;
  domain: Sourced<string> | null;
  interfaces: InterfaceSpec[];
  staticRoutes: StaticRouteSpec[];
  rip: RipConfigSpec | null;
  /** `ip routing` is on unless `no ip routing`. */
  ipForwarding: boolean;
  /**
   * The text is a pasted CLI session (it enters `configure terminal`). Such a session starts from a
   * router's factory state, where every non-loopback interface is shut down until `no shutdown`; in a
   * startup-config an interface is up unless it says `shutdown`.
   */
  sessionForm: boolean;
  findings: ConfigFinding[];
}

// ---------------------------------------------------------------------------------------------
// Interface names

const IOS_INTERFACE_TYPES: { full: string; min: number; loopback: boolean }[] = [
  { full: 'Ethernet', min: 1, loopback: false },
  { full: 'FastEthernet', min: 2, loopback: false },
  { full: 'GigabitEthernet', min: 2, loopback: false },
  { full: 'Serial', min: 2, loopback: false },
  { full: 'Loopback', min: 2, loopback: true },
  { full: 'Tunnel', min: 2, loopback: false },
];

/**
 * `e0/0`, `eth0/0`, `Ethernet 0/0`, `fa1/0`, `lo0` → the name IOS shows (`Ethernet0/0`, `FastEthernet1/0`,
 * `Loopback0`), or null when the text is not an interface name we know. Subinterfaces (`e0/0.10`) → null.
 */
export function normalizeIosInterfaceName(text: string): string | null {
  const m = /^([A-Za-z-]+)\s*(\d+(?:\/\d+){0,2})$/.exec(text.trim());
  if (m === null) return null;
  const type = IOS_INTERFACE_TYPES.find((t) => kw(m[1], t.full.toLowerCase(), t.min));
  if (type === undefined) return null;
  if (type.loopback && m[2]!.includes('/')) return null;
  return type.full + m[2]!;
}

export function isIosLoopback(name: string): boolean {
  return name.startsWith('Loopback');
}

/** `Ethernet1/2` → 0x12 (slot × 16 + port), the last byte of a GNS3/dynamips MAC; null for loopbacks. */
export function iosInterfaceMacIndex(name: string): number | null {
  if (isIosLoopback(name)) return null;
  const m = /(\d+)(?:\/(\d+))?(?:\/(\d+))?$/.exec(name);
  if (m === null) return null;
  const nums = [m[1], m[2], m[3]].filter((x): x is string => x !== undefined).map(Number);
  if (nums.length === 1) return nums[0]! & 0xff;
  return ((nums[nums.length - 2]! << 4) + nums[nums.length - 1]!) & 0xff;
}

// ---------------------------------------------------------------------------------------------
// The parser

type Mode =
  | { kind: 'start' }
  | { kind: 'exec' }
  | { kind: 'config' }
  | { kind: 'interface'; iface: InterfaceSpec }
  | { kind: 'rip' }
  /** A sub-mode we do not model (`line con 0`, `router ospf 1`): its lines are swallowed. */
  | { kind: 'block' };

const IGNORED_GLOBAL = new Set([
  'version',
  'service',
  'boot-start-marker',
  'boot-end-marker',
  'boot',
  'logging',
  'memory-size',
  'username',
  'clock',
  'archive',
  'multilink',
  'ntp',
  'snmp-server',
  'cdp',
  'aaa',
  'alias',
  'security',
  'mmi',
  'voice-card',
  'license',
  'redundancy',
  'spanning-tree',
  'vtp',
  'hw-module',
  'scheduler',
  'autonomous-system',
]);
const IGNORED_IP_GLOBAL = new Set([
  'cef',
  'classless',
  'subnet-zero',
  'http',
  'tcp',
  'auth-proxy',
  'admission',
  'forward-protocol',
  'domain-lookup',
  'name-server',
  'ssh',
  'finger',
  'bootp',
  'source-route',
  'dhcp',
  'host',
  'domain-list',
]);
const IGNORED_BLOCKS = new Set(['line', 'control-plane', 'gatekeeper', 'mgcp', 'archive']);

const IGNORED_INTERFACE = new Set([
  'duplex',
  'speed',
  'half-duplex',
  'full-duplex',
  'media-type',
  'keepalive',
  'bandwidth',
  'delay',
  'load-interval',
  'mtu',
  'clock',
  'negotiation',
  'cdp',
  'logging',
  'hold-queue',
  'tx-ring-limit',
]);
const IGNORED_IP_INTERFACE = new Set(['route-cache', 'mroute-cache', 'directed-broadcast', 'virtual-reassembly', 'mtu']);

/** Parses IOS configuration text (startup-config or pasted session). Throws LabFileError listing every error. */
export function parseIosConfig(text: string, file: string): IosConfig {
  const problems = new Problems(file);
  const findings = new Findings(file);
  const interfaces: InterfaceSpec[] = [];
  /** Explicit `shutdown` / `no shutdown` per interface. */
  const adminState = new Map<InterfaceSpec, boolean>();
  const splitHorizon = new Map<string, Sourced<SplitHorizonMode>>();
  const staticRoutes: StaticRouteSpec[] = [];
  let rip: RipConfigSpec | null = null;
  let hostname: Sourced<string> | null = null;
  let domain: Sourced<string> | null = null;
  let ipForwarding = true;
  let sessionForm = false;
  let mode: Mode = { kind: 'start' };

  const lines = text.split(/\r\n|\n|\r/);
  for (let index = 0; index < lines.length; index++) {
    const lineNo = index + 1;
    const raw = lines[index]!;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('!')) continue;
    if (trimmed === '^Z' || trimmed === '\x1a') {
      mode = { kind: 'exec' };
      continue;
    }
    const words = trimmed.split(/\s+/);
    const got = quote(trimmed);

    // banner motd ^C … ^C can span lines: consume it whole.
    if (mode.kind !== 'exec' && kw(words[0], 'banner', 3)) {
      const after = trimmed.replace(/^\S+\s+\S+\s*/, '');
      if (words.length < 3 || after === '') {
        problems.add(lineNo, `expected "banner <type> <delimiter>text<delimiter>", got ${got}`);
        continue;
      }
      const delim = after.startsWith('^C') ? '^C' : after[0]!;
      let rest = after.slice(delim.length);
      let end = lineNo;
      while (!rest.includes(delim) && end < lines.length) {
        rest = lines[end]!;
        end++;
      }
      if (!rest.includes(delim)) problems.add(lineNo, `the banner starting here is not closed by its delimiter ${quote(delim)}`);
      findings.add('ignored', lineNo, 'banner: not shown by the simulator');
      index = end - 1;
      mode = { kind: 'config' };
      continue;
    }

    const handled = dispatch(words, lineNo, got);
    if (!handled) findings.add('unsupported', lineNo, `${got} is not modelled by the simulator`);
  }

  /** Returns false when the line was not recognised anywhere (an `unsupported` finding follows). */
  function dispatch(words: string[], lineNo: number, got: string): boolean {
    switch (mode.kind) {
      case 'start':
        if (isExecCommand(words)) {
          mode = { kind: 'exec' };
          return execCommand(words, lineNo, got);
        }
        mode = { kind: 'config' };
        return globalCommand(words, lineNo, got);
      case 'exec':
        if (isExecCommand(words)) return execCommand(words, lineNo, got);
        problems.add(
          lineNo,
          `${got} is a configuration command, but the session is not in configuration mode: expected "configure terminal" before it`,
        );
        return true;
      case 'config':
        return globalCommand(words, lineNo, got);
      case 'interface':
        if (interfaceCommand(mode.iface, words, lineNo, got)) return true;
        return globalOrStay(words, lineNo, got);
      case 'rip':
        if (ripCommand(words, lineNo, got)) return true;
        return globalOrStay(words, lineNo, got);
      case 'block':
        if (isGlobalBlockExit(words)) return globalOrStay(words, lineNo, got);
        return true; // part of a sub-mode we do not model; its first line carries the finding
    }
  }

  /** A line not valid in a sub-mode runs globally (and leaves the sub-mode) only if it is a global command. */
  function globalOrStay(words: string[], lineNo: number, got: string): boolean {
    const before = mode;
    const ok = globalCommand(words, lineNo, got);
    if (!ok) mode = before;
    return ok;
  }

  function isExecCommand(words: string[]): boolean {
    const w = words[0];
    return (
      (kw(w, 'enable', 2) && words.length === 1) ||
      kw(w, 'disable', 4) ||
      kw(w, 'configure', 4) ||
      kw(w, 'write', 2) ||
      kw(w, 'copy', 2) ||
      kw(w, 'show', 2) ||
      kw(w, 'ping', 2) ||
      kw(w, 'traceroute', 4) ||
      kw(w, 'terminal', 4) ||
      kw(w, 'clear', 3) ||
      kw(w, 'debug', 3) ||
      kw(w, 'undebug', 2) ||
      kw(w, 'logout', 4) ||
      kw(w, 'exit', 3) ||
      kw(w, 'end', 3)
    );
  }

  function execCommand(words: string[], lineNo: number, got: string): boolean {
    const w = words[0];
    if (kw(w, 'configure', 4)) {
      if (words.length === 1 || (words.length === 2 && kw(words[1], 'terminal', 1))) {
        sessionForm = true;
        mode = { kind: 'config' };
        return true;
      }
      findings.add('unsupported', lineNo, `${got}: only "configure terminal" is modelled`);
      return true;
    }
    if (kw(w, 'write', 2) || kw(w, 'copy', 2)) return true; // saving the configuration: the file is what is saved
    if (kw(w, 'ping', 2) || kw(w, 'traceroute', 4) || kw(w, 'show', 2)) {
      findings.add('ignored', lineNo, `${got}: a command typed at the prompt, not configuration`);
      return true;
    }
    return true; // enable, disable, terminal, clear, debug, exit, end: no lasting effect on the configuration
  }

  /** Commands that leave an unmodelled sub-mode (everything else in it is swallowed). */
  function isGlobalBlockExit(words: string[]): boolean {
    const w = words[0];
    return (
      kw(w, 'interface', 3) ||
      kw(w, 'router', 6) ||
      kw(w, 'hostname', 4) ||
      (kw(w, 'ip', 2) && words.length > 1 && !kw(words[1], 'address', 3) && !IGNORED_IP_INTERFACE.has(words[1]!.toLowerCase())) ||
      kw(w, 'line', 4) ||
      kw(w, 'end', 3) ||
      kw(w, 'control-plane', 7) ||
      kw(w, 'gatekeeper', 4) ||
      kw(w, 'banner', 3) ||
      kw(w, 'version', 4) ||
      kw(w, 'service', 4)
    );
  }

  function globalCommand(words: string[], lineNo: number, got: string): boolean {
    const w = words[0]!;
    const src = ref(file, lineNo);

    if (kw(w, 'end', 3) && words.length === 1) {
      mode = { kind: 'exec' };
      return true;
    }
    if (kw(w, 'exit', 3) && words.length === 1) {
      mode = mode.kind === 'config' ? { kind: 'exec' } : { kind: 'config' };
      return true;
    }
    if (kw(w, 'do', 2) && words.length > 1) {
      findings.add('ignored', lineNo, `${got}: a command typed at the prompt, not configuration`);
      return true;
    }
    if (kw(w, 'hostname', 4)) {
      const name = words[1];
      if (words.length !== 2 || name === undefined || !/^[A-Za-z][A-Za-z0-9-]{0,62}$/.test(name)) {
        problems.add(lineNo, `expected "hostname <name>" (letters, digits and hyphens, starting with a letter), got ${got}`);
      } else {
        hostname = { value: name, source: src };
      }
      mode = { kind: 'config' };
      return true;
    }
    if (kw(w, 'interface', 3)) {
      const nameText = words.slice(1).join(' ');
      const name = normalizeIosInterfaceName(nameText);
      if (name === null) {
        if (/\.\d+$/.test(nameText)) {
          findings.add('unsupported', lineNo, `${got}: subinterfaces are not modelled`);
          mode = { kind: 'block' };
          return true;
        }
        problems.add(lineNo, `expected "interface <name>" such as "interface Ethernet0/0", got ${got}`);
        mode = { kind: 'block' };
        return true;
      }
      const iface = interfaceIn(interfaces, name, src, isIosLoopback(name));
      mode = { kind: 'interface', iface };
      return true;
    }
    if (kw(w, 'router', 6)) {
      if (words.length === 2 && kw(words[1], 'rip', 3)) {
        rip ??= emptyRip('ios', src);
        mode = { kind: 'rip' };
        return true;
      }
      findings.add('unsupported', lineNo, `${got}: only RIP is modelled`);
      mode = { kind: 'block' };
      return true;
    }
    if (kw(w, 'ip', 2)) return ipGlobal(words, lineNo, got, src);
    if (kw(w, 'no', 2)) return noGlobal(words, lineNo, got);
    if (kw(w, 'enable', 2) && words.length > 1) {
      findings.add('ignored', lineNo, 'enable password/secret: the simulator has no logins');
      return true;
    }
    if (kw(w, 'enable', 2)) {
      problems.add(lineNo, `"enable" is an exec command; in configuration mode expected "enable secret <password>", got ${got}`);
      return true;
    }
    if (kw(w, 'write', 2) || kw(w, 'copy', 2) || kw(w, 'show', 2) || kw(w, 'ping', 2)) {
      findings.add(
        'unsupported',
        lineNo,
        `${got} in configuration mode: IOS rejects it there (leave with ^Z first, or use "do ${words.join(' ')}")`,
      );
      return true;
    }
    const lower = w.toLowerCase();
    if (IGNORED_BLOCKS.has(lower) || kw(w, 'control-plane', 7) || kw(w, 'gatekeeper', 4)) {
      findings.add('ignored', lineNo, `${got}: not modelled (console lines, control plane)`);
      mode = { kind: 'block' };
      return true;
    }
    if (IGNORED_GLOBAL.has(lower)) {
      findings.add('ignored', lineNo, `${got}: does not change what the simulator shows`);
      mode = { kind: 'config' };
      return true;
    }
    return false;
  }

  function ipGlobal(words: string[], lineNo: number, got: string, src: SourceRef): boolean {
    const sub = words[1];
    mode = { kind: 'config' };
    if (kw(sub, 'route', 5)) {
      staticRoute(words, lineNo, got, src);
      return true;
    }
    if (kw(sub, 'routing', 7) && words.length === 2) {
      ipForwarding = true;
      return true;
    }
    if ((kw(sub, 'domain-name', 8) && words.length === 3) || (kw(sub, 'domain', 6) && kw(words[2], 'name', 4) && words.length === 4)) {
      const name = words[words.length - 1]!;
      domain = { value: name, source: src };
      return true;
    }
    if (kw(sub, 'domain', 6) && kw(words[2], 'lookup', 4)) {
      findings.add('ignored', lineNo, `${got}: the simulator's consoles do not resolve names`);
      return true;
    }
    if (kw(sub, 'icmp', 4)) {
      findings.add('unsupported', lineNo, `${got}: ICMP rate limiting is not modelled`);
      return true;
    }
    if (sub !== undefined && IGNORED_IP_GLOBAL.has(sub.toLowerCase())) {
      findings.add('ignored', lineNo, `${got}: does not change what the simulator shows`);
      return true;
    }
    return false;
  }

  function noGlobal(words: string[], lineNo: number, got: string): boolean {
    mode = { kind: 'config' };
    if (kw(words[1], 'ip', 2) && kw(words[2], 'routing', 7) && words.length === 3) {
      ipForwarding = false;
      return true;
    }
    if (kw(words[1], 'ip', 2) && kw(words[2], 'icmp', 4)) {
      findings.add('unsupported', lineNo, `${got}: ICMP rate limiting is not modelled`);
      return true;
    }
    if (kw(words[1], 'router', 6) && kw(words[2], 'rip', 3)) {
      rip = null;
      return true;
    }
    if (
      (kw(words[1], 'ip', 2) && words[2] !== undefined && (IGNORED_IP_GLOBAL.has(words[2].toLowerCase()) || kw(words[2], 'domain', 6))) ||
      (words[1] !== undefined && IGNORED_GLOBAL.has(words[1].toLowerCase()))
    ) {
      findings.add('ignored', lineNo, `${got}: does not change what the simulator shows`);
      return true;
    }
    return false;
  }

  function staticRoute(words: string[], lineNo: number, got: string, src: SourceRef): void {
    const expected = `expected "ip route <network> <netmask> <next-hop address | interface>", got ${got}`;
    const prefix = words[2] === undefined ? null : readIpv4(words[2]);
    const len = words[3] === undefined ? null : readNetmask(words[3]);
    if (prefix === null || len === null || words[4] === undefined) {
      problems.add(lineNo, expected);
      return;
    }
    if (networkOf(prefix, len) !== prefix) {
      problems.add(lineNo, `${got}: inconsistent address and mask (${words[2]} has bits outside ${words[3]}; IOS says "%Inconsistent address and mask")`);
      return;
    }
    let via: number | null = null;
    let device: string | null = null;
    let i = 4;
    const hop = readIpv4(words[i]!);
    if (hop !== null) {
      via = hop;
      i++;
    } else {
      device = normalizeIosInterfaceName(words[i]!);
      if (device === null) {
        problems.add(lineNo, expected);
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
    if (rest.length > 0 && !(rest.length === 1 && readInt(rest[0], 1, 255) !== null)) {
      findings.add('unsupported', lineNo, `${got}: "${rest.join(' ')}" (distance, name, tag, permanent) is not modelled`);
    }
    staticRoutes.push({ prefix, prefixLength: len, via, device, source: src });
  }

  function interfaceCommand(iface: InterfaceSpec, words: string[], lineNo: number, got: string): boolean {
    const w = words[0];
    const src = ref(file, lineNo);
    const negated = kw(w, 'no', 2);
    const cmd = negated ? words.slice(1) : words;
    const c0 = cmd[0];
    if (kw(c0, 'shutdown', 3) && cmd.length === 1) {
      adminState.set(iface, negated);
      return true;
    }
    if (kw(c0, 'ip', 2) && kw(cmd[1], 'address', 3)) {
      if (negated) {
        iface.addresses = [];
        return true;
      }
      interfaceAddress(iface, words, lineNo, got, src);
      return true;
    }
    if (kw(c0, 'ip', 2) && kw(cmd[1], 'split-horizon', 5) && cmd.length === 2) {
      splitHorizon.set(iface.name, { value: negated ? 'off' : 'on', source: src });
      return true;
    }
    if (kw(c0, 'description', 4)) return true;
    if (kw(c0, 'mac-address', 3) && !negated) {
      const mac = cmd[1] === undefined ? null : readMac(cmd[1]);
      if (mac === null || cmd.length !== 2) problems.add(lineNo, `expected "mac-address <hhhh.hhhh.hhhh>", got ${got}`);
      else iface.mac = mac;
      return true;
    }
    if (c0 !== undefined && IGNORED_INTERFACE.has(c0.toLowerCase())) {
      findings.add('ignored', lineNo, `${got}: does not change what the simulator shows`);
      return true;
    }
    if (kw(c0, 'ip', 2) && cmd[1] !== undefined && IGNORED_IP_INTERFACE.has(cmd[1].toLowerCase())) {
      findings.add('ignored', lineNo, `${got}: does not change what the simulator shows`);
      return true;
    }
    if (kw(c0, 'ip', 2) && (kw(cmd[1], 'rip', 3) || kw(cmd[1], 'unreachables', 5) || kw(cmd[1], 'redirects', 5) || kw(cmd[1], 'proxy-arp', 5))) {
      findings.add('unsupported', lineNo, `${got} is not modelled by the simulator`);
      return true;
    }
    if (kw(c0, 'encapsulation', 5) || kw(c0, 'standby', 5) || kw(c0, 'vrrp', 4)) {
      findings.add('unsupported', lineNo, `${got} is not modelled by the simulator`);
      return true;
    }
    return false;
  }

  function interfaceAddress(iface: InterfaceSpec, words: string[], lineNo: number, got: string, src: SourceRef): void {
    const expected = `expected "ip address <address> <netmask>", got ${got}`;
    if (words.length < 4 || words.length > 5 || (words.length === 5 && !kw(words[4], 'secondary', 3))) {
      if (kw(words[2], 'dhcp', 4)) findings.add('unsupported', lineNo, `${got}: DHCP is not modelled`);
      else problems.add(lineNo, expected);
      return;
    }
    const address = readIpv4(words[2]!);
    if (address === null) {
      problems.add(lineNo, `expected an IPv4 address such as 10.128.1.1, got "${words[2]}" in ${got}`);
      return;
    }
    const len = readNetmask(words[3]!);
    if (len === null) {
      problems.add(lineNo, `expected a contiguous netmask such as 255.255.255.0, got "${words[3]}" in ${got}`);
      return;
    }
    if (len === 0 || (len <= 30 && (address === networkOf(address, len) || address === broadcastOf(address, len)))) {
      problems.add(lineNo, `${got}: bad mask /${len} for address ${formatIpv4(address)} (IOS rejects a network or broadcast address, or mask 0.0.0.0)`);
      return;
    }
    for (const other of interfaces) {
      if (other === iface) continue;
      for (const a of other.addresses) {
        const shorter = Math.min(len, a.prefixLength);
        if (inSubnet(address, a.address, shorter)) {
          problems.add(
            lineNo,
            `${got}: ${formatPrefix(networkOf(address, len), len)} overlaps with ${other.name} (${formatPrefix(a.address, a.prefixLength)}, line ${a.source.line})`,
          );
          return;
        }
      }
    }
    const entry = { address, prefixLength: len, source: src };
    if (words.length === 5) {
      if (iface.addresses.length === 0) {
        problems.add(lineNo, `${got}: a secondary address needs a primary address first`);
        return;
      }
      iface.addresses.push(entry);
    } else {
      iface.addresses = [entry, ...iface.addresses.slice(1)];
    }
  }

  function ripCommand(words: string[], lineNo: number, got: string): boolean {
    const r = rip!;
    const src = ref(file, lineNo);
    const w = words[0];
    const negated = kw(w, 'no', 2);
    const cmd = negated ? words.slice(1) : words;
    const c0 = cmd[0];
    if (kw(c0, 'version', 4)) {
      if (negated) {
        r.version = null;
        return true;
      }
      if (cmd.length === 2 && (cmd[1] === '1' || cmd[1] === '2')) r.version = { value: cmd[1] === '1' ? 1 : 2, source: src };
      else problems.add(lineNo, `expected "version 1" or "version 2", got ${got}`);
      return true;
    }
    if (kw(c0, 'network', 3)) {
      const addr = cmd[1] === undefined ? null : readIpv4(cmd[1]);
      if (addr === null || cmd.length !== 2) {
        problems.add(lineNo, `expected "network <classful network address>" such as "network 10.0.0.0", got ${got}`);
        return true;
      }
      const len = classfulPrefixLength(addr);
      if (len === null) {
        problems.add(lineNo, `${got}: ${cmd[1]} is not in a class A, B or C network (IOS says "% Invalid input")`);
        return true;
      }
      const net = networkOf(addr, len);
      if (negated) {
        r.networks = r.networks.filter((n) => !(n.kind === 'prefix' && n.prefix === net));
        return true;
      }
      if (net !== addr) {
        findings.add(
          'note',
          lineNo,
          `${got}: RIP networks are classful on IOS; it stores "network ${formatIpv4(net)}" (every interface in ${formatPrefix(net, len)} runs RIP)`,
        );
      }
      if (!r.networks.some((n) => n.kind === 'prefix' && n.prefix === net)) {
        r.networks.push({ kind: 'prefix', prefix: net, prefixLength: len, written: cmd[1]!, source: src });
      }
      return true;
    }
    if (kw(c0, 'auto-summary', 4) && cmd.length === 1) {
      r.autoSummary = { value: !negated, source: src };
      return true;
    }
    if (kw(c0, 'timers', 5) && kw(cmd[1], 'basic', 1)) {
      if (negated) {
        r.timers = null;
        return true;
      }
      const t = readTimersBasic('ios', cmd.slice(2), src);
      if ('error' in t) problems.add(lineNo, `${t.error}, got ${got}`);
      else r.timers = t;
      return true;
    }
    if (kw(c0, 'passive-interface', 7)) {
      if (cmd.length === 2 && kw(cmd[1], 'default', 3)) {
        r.passiveDefault = negated ? null : src;
        return true;
      }
      const name = normalizeIosInterfaceName(cmd.slice(1).join(' '));
      if (name === null) {
        problems.add(lineNo, `expected "passive-interface <interface>" or "passive-interface default", got ${got}`);
        return true;
      }
      (negated ? r.nonPassiveInterfaces : r.passiveInterfaces).push({ value: name, source: src });
      return true;
    }
    if (kw(c0, 'default-information', 9)) {
      if (cmd.length === 2 && kw(cmd[1], 'originate', 4)) {
        r.defaultInformationOriginate = negated ? null : src;
        return true;
      }
      if (cmd.length > 2 && kw(cmd[1], 'originate', 4)) {
        r.defaultInformationOriginate = negated ? null : src;
        findings.add('unsupported', lineNo, `${got}: "${cmd.slice(2).join(' ')}" is not modelled; read as "default-information originate"`);
        return true;
      }
      problems.add(lineNo, `expected "default-information originate", got ${got}`);
      return true;
    }
    if (kw(c0, 'redistribute', 5)) {
      redistribute(r, cmd, negated, lineNo, got, src, findings, problems);
      return true;
    }
    if (kw(c0, 'default-metric', 9)) {
      // IOS accepts any 32-bit value here (RIP treats 16 and above as unreachable).
      defaultMetric(r, cmd, negated, 4294967295, lineNo, got, src, problems);
      return true;
    }
    if (kw(c0, 'neighbor', 3)) {
      const a = cmd[1] === undefined ? null : readIpv4(cmd[1]);
      if (a === null || cmd.length !== 2) problems.add(lineNo, `expected "neighbor <address>", got ${got}`);
      else if (negated) r.neighbors = r.neighbors.filter((x) => x.value !== a);
      else r.neighbors.push({ value: a, source: src });
      return true;
    }
    if (kw(c0, 'maximum-paths', 4)) {
      const n = readInt(cmd[1], 1, 32);
      if (negated) r.allowEcmp = null;
      else if (n === null || cmd.length !== 2) problems.add(lineNo, `expected "maximum-paths <1-32>", got ${got}`);
      else r.allowEcmp = { maxPaths: n, source: src };
      return true;
    }
    if (
      kw(c0, 'distance', 4) ||
      kw(c0, 'offset-list', 3) ||
      kw(c0, 'output-delay', 3) ||
      kw(c0, 'flash-update-threshold', 3) ||
      kw(c0, 'validate-update-source', 3) ||
      kw(c0, 'input-queue', 3) ||
      kw(c0, 'distribute-list', 4) ||
      kw(c0, 'address-family', 4)
    ) {
      findings.add('unsupported', lineNo, `${got} is not modelled by the simulator`);
      return true;
    }
    return false;
  }

  const allFindings = findings.list;
  problems.throwIfAny();

  const finalRip = rip as RipConfigSpec | null;
  if (finalRip !== null) {
    for (const [name, mode] of splitHorizon) finalRip.interfaces.push({ name, splitHorizon: mode, source: mode.source });
  } else {
    for (const [name, mode] of splitHorizon) {
      allFindings.push({ severity: 'ignored', message: `split-horizon setting on ${name}, but RIP is not configured`, source: mode.source });
    }
  }
  for (const iface of interfaces) {
    const explicit = adminState.get(iface);
    iface.up = explicit ?? (iface.loopback || !sessionForm);
  }
  return {
    hostname,
    domain,
    interfaces,
    staticRoutes,
    rip: finalRip,
    ipForwarding,
    sessionForm,
    findings: allFindings,
  };
}

/** `default-metric <1-max>` (or its `no` form), shared by IOS and FRR. */
export function defaultMetric(r: RipConfigSpec, cmd: string[], negated: boolean, max: number, lineNo: number, got: string, src: SourceRef, problems: Problems): void {
  if (negated) {
    r.defaultMetric = null;
    return;
  }
  const m = readInt(cmd[1], 1, max);
  if (m === null || cmd.length !== 2) problems.add(lineNo, `expected "default-metric <1-${max}>", got ${got}`);
  else r.defaultMetric = { value: m, source: src };
}

/** `redistribute connected|static [metric N]`, shared by IOS and FRR. */
export function redistribute(
  r: RipConfigSpec,
  cmd: string[],
  negated: boolean,
  lineNo: number,
  got: string,
  src: SourceRef,
  findings: Findings,
  problems: Problems,
): void {
  const proto = kw(cmd[1], 'connected', 4) ? 'connected' : kw(cmd[1], 'static', 3) ? 'static' : null;
  if (proto === null) {
    if (cmd[1] === undefined) problems.add(lineNo, `expected "redistribute connected|static [metric <1-16>]", got ${got}`);
    else findings.add('unsupported', lineNo, `${got}: only "redistribute connected" and "redistribute static" are modelled`);
    return;
  }
  r.redistribute = r.redistribute.filter((x) => x.protocol !== proto);
  if (negated) return;
  let metric: number | null = null;
  let i = 2;
  if (kw(cmd[i], 'metric', 1)) {
    metric = readInt(cmd[i + 1], 0, 16);
    if (metric === null) {
      problems.add(lineNo, `expected "redistribute ${proto} metric <0-16>", got ${got}`);
      return;
    }
    i += 2;
  }
  if (i < cmd.length) findings.add('unsupported', lineNo, `${got}: "${cmd.slice(i).join(' ')}" (route-map) is not modelled`);
  r.redistribute.push({ protocol: proto, metric, source: src });
}
