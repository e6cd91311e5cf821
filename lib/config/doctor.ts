/**
 * `anycast-lab doctor`: inconsistencies across a lab's files, the kind `check` (one file, one wire at
 * a time) cannot see. Each finding names every place involved and says what to do about it.
 *
 * - `zebra-address`: a zebra.conf gives an interface an address that no interface command on the node
 *   configures, or the other way round (the write-up's own slip: §4.2's zebra.conf says lo:0
 *   10.128.244.2, `ifconfig lo:0` says 10.128.224.2);
 * - `ping-unowned`: the setup script pings an address no node in the lab has (§4.2's `ping -c1 10.128.244.2`);
 * - `rip-network`: a RIP `network` line that enables no interface (FRR's `network lo:0`: a label, not an interface);
 * - `resolver-no-server`: a resolv.conf nameserver that no node running named owns;
 * - `resolver-too-many`: nameserver lines after the third, which resolvers ignore;
 * - `named-before-address` / `named-started-early`: named (re)started before an address it should serve
 *   exists (§4.3.4), with the consequence per BIND profile;
 * - `resolv-conf-overwritten`: a step after the script's resolv.conf that rewrites it (§4.3.2);
 * - `rip-timeout-short`: a RIP speaker's invalid (timeout) timer that a neighbour's updates cannot
 *   keep refreshed (the route flaps), or that one lost update would let expire;
 * - `rip-timers-differ`: RIP speakers on one segment running different timers;
 * - `rip-versions-differ`: a RIP speaker sends a neighbour only versions the neighbour's interface
 *   refuses (`version`, `ip rip send|receive version`), so every update it sends there is dropped;
 * - `rip-neighbor`: a `neighbor` on no connected subnet (ripd sends it nothing), or on an interface
 *   RIP is not enabled on (only unicast updates are exchanged there).
 */
import type { LabSpec, NamedStartStep, NodeSpec, SourceRef } from './spec';
import { parseZebraConf, type FrrConfig } from './frr';
import { formatIpv4, formatPrefix, inSubnet, readIpv4 } from './addr';
import { formatDuration, toSeconds } from '../sim/time';
import { ripAdjacencies, ripEnabled, type RipAdjacency, type SpeakerTimers } from './rip-timers';
import { RIP_PROFILES } from '../proto/rip/params';
import { BIND_PROFILES } from '../proto/dns/server';
import { BIND_BEFORE_LO0_OPTION, installsBind, namedBootPlan } from './node-dns';

export interface DoctorFinding {
  /** `error`: the lab will not do what its files say; `warning`: probably a slip; `info`: worth knowing. */
  severity: 'error' | 'warning' | 'info';
  /** Which check found it (see the module comment). */
  code: DoctorCode;
  /** The node it is about, or null for the lab as a whole. */
  node: string | null;
  message: string;
  /** Every place involved, most relevant first. */
  sources: SourceRef[];
  /** What to do about it. */
  hint: string;
}

export type DoctorCode =
  | 'zebra-address'
  | 'ping-unowned'
  | 'rip-network'
  | 'resolver-no-server'
  | 'resolver-too-many'
  | 'named-before-address'
  | 'named-started-early'
  | 'resolv-conf-overwritten'
  | 'rip-timeout-short'
  | 'rip-timers-differ'
  | 'rip-versions-differ'
  | 'rip-neighbor';

/** One line of a file as the node ends up with it, and where that line was written. */
interface FileLine {
  text: string;
  source: SourceRef;
}

/** An address a node has, by interface name or alias label. */
interface Owned {
  node: NodeSpec;
  /** `eth1`, or the alias label (`lo:0`). */
  name: string;
  address: number;
  prefixLength: number;
  source: SourceRef;
}

const ref = (s: SourceRef): string => `${s.file}:${s.line}`;

function ownedBy(n: NodeSpec): Owned[] {
  return n.interfaces.flatMap((i) => [
    ...i.addresses.map((a) => ({ node: n, name: i.name, address: a.address, prefixLength: a.prefixLength, source: a.source })),
    ...i.aliases.map((a) => ({ node: n, name: a.label, address: a.address, prefixLength: a.prefixLength, source: a.source })),
  ]);
}

/** The lines of `path` after the setup script (its last write and the appends after it), else the bound lab file. */
function fileLines(n: NodeSpec, path: string): FileLine[] | null {
  let lines: FileLine[] | null = null;
  for (const w of n.writtenFiles) {
    if (w.path !== path) continue;
    const add = splitLines(w.content).map((text, i) => ({ text, source: { file: w.source.file, line: w.contentLine + i } }));
    lines = w.mode === 'append' && lines !== null ? [...lines, ...add] : add;
  }
  if (lines !== null) return lines;
  const bound = boundText(n, path);
  return bound === null ? null : splitLines(bound.text).map((text, i) => ({ text, source: { file: bound.file, line: i + 1 } }));
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** A file bound into the node from the lab folder, as read at load. */
function boundText(n: NodeSpec, devicePath: string): { text: string; file: string } | null {
  const bound = n.files.find((f) => f.devicePath === devicePath);
  return bound === undefined ? null : { text: bound.text, file: bound.labFile };
}

/** Every zebra.conf a node has: the ones its script writes and the ones bound into it from the lab folder. */
function zebraConfs(n: NodeSpec): { devicePath: string; config: FrrConfig; lines: { file: string; from: number; to: number } }[] {
  const out: ReturnType<typeof zebraConfs> = [];
  const written = new Map<string, { content: string; file: string; line: number }>();
  for (const w of n.writtenFiles) if (/zebra\.conf$/.test(w.path) && w.mode === 'write') written.set(w.path, { content: w.content, file: w.source.file, line: w.contentLine });
  const read = (devicePath: string, text: string, file: string, firstLine: number): void => {
    try {
      const config = parseZebraConf(text, file, { firstLine });
      out.push({ devicePath, config, lines: { file, from: firstLine, to: firstLine + splitLines(text).length - 1 } });
    } catch {
      // A zebra.conf that does not parse is `check`'s business, not the doctor's.
    }
  };
  for (const [path, w] of written) read(path, w.content, w.file, w.line);
  for (const f of n.files) {
    if (!/zebra\.conf$/.test(f.devicePath) || written.has(f.devicePath)) continue;
    const b = boundText(n, f.devicePath);
    if (b !== null) read(f.devicePath, b.text, b.file, 1);
  }
  return out;
}

/** The files zebra itself reads; other copies (bound under /vagrant) are listings a reader may copy. */
const ZEBRA_READS = new Set(['/etc/quagga/zebra.conf', '/etc/frr/zebra.conf']);

/** Whether two addresses are one keystroke apart as written (a typo such as 10.128.244.2 for 10.128.224.2). */
function oneTypoApart(a: number, b: number): boolean {
  const x = formatIpv4(a);
  const y = formatIpv4(b);
  if (x === y || Math.abs(x.length - y.length) > 1) return false;
  // Levenshtein distance 1: one substitution, insertion or deletion.
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  return x.slice(i + 1) === y.slice(i + 1) || x.slice(i) === y.slice(i + 1) || x.slice(i + 1) === y.slice(i);
}

function stepText(s: NamedStartStep): string {
  return s.kind === 'packages-installed' ? `apt-get install ${s.packages.join(' ')} (Debian's postinst starts named)` : `${s.service} ${s.action}`;
}

/** What every check of the doctor reads, and the findings it adds to. */
interface DoctorScope {
  spec: LabSpec;
  out: DoctorFinding[];
  /** Every node but the bridges. */
  nodes: NodeSpec[];
  /** Who has each address. */
  owners: Map<number, Owned[]>;
  /** Addresses that zebra.conf files mention, for cross-references from other checks (filled by the first). */
  zebraMentions: Map<number, SourceRef[]>;
  /** The nodes that run named. */
  servers: NodeSpec[];
}

/** Finds inconsistencies across the lab's files. Pure: reads only the spec (files bound into nodes were read at load). */
export function doctor(spec: LabSpec): DoctorFinding[] {
  const nodes = spec.nodes.filter((n) => n.kind !== 'bridge');
  const owners = new Map<number, Owned[]>();
  for (const n of nodes) {
    for (const o of ownedBy(n)) {
      const list = owners.get(o.address) ?? [];
      list.push(o);
      owners.set(o.address, list);
    }
  }
  const servers = nodes.filter((n) => n.os === 'linux' && installsBind(n));
  const scope: DoctorScope = { spec, out: [], nodes, owners, zebraMentions: new Map(), servers };
  for (const check of [zebraAddresses, unownedPings, ripNetworks, ripTimers, ripVersions, ripNeighbors, resolvers, namedStarts, resolvConfRewrites]) check(scope);
  return scope.out;
}

/** Zebra.conf against the interface commands. */
function zebraAddresses({ out, nodes, zebraMentions }: DoctorScope): void {
  for (const n of nodes) {
    for (const z of zebraConfs(n)) {
      const reads = ZEBRA_READS.has(z.devicePath);
      // What the node configures other than through this very file.
      const configured = ownedBy(n).filter((o) => !(o.source.file === z.lines.file && o.source.line >= z.lines.from && o.source.line <= z.lines.to));
      for (const fi of z.config.interfaces) {
        const byName = new Map<string, typeof fi.addresses>();
        for (const a of fi.addresses) {
          const name = a.label ?? fi.name;
          byName.set(name, [...(byName.get(name) ?? []), a]);
          zebraMentions.set(a.address, [...(zebraMentions.get(a.address) ?? []), a.source]);
        }
        for (const [name, addrs] of byName) {
          const there = configured.filter((o) => o.name === name && o.address >>> 24 !== 127);
          const missing = addrs.filter((a) => !configured.some((o) => o.address === a.address));
          const unlisted = there.filter((o) => !addrs.some((a) => a.address === o.address));
          if (missing.length === 0 && unlisted.length === 0) continue;
          const zText = addrs.map((a) => formatPrefix(a.address, a.prefixLength)).join(', ');
          const hText = there.length === 0 ? `nothing on ${name}` : there.map((o) => `${name} ${formatPrefix(o.address, o.prefixLength)} (${ref(o.source)})`).join(', ');
          const message =
            missing.length > 0
              ? `${n.name}: ${z.devicePath} gives ${name} ${zText}, but no interface command on ${n.name} configures ${missing.map((a) => formatIpv4(a.address)).join(', ')}; the node has ${hText}`
              : `${n.name}: ${unlisted.map((o) => `${name} ${formatPrefix(o.address, o.prefixLength)} (${ref(o.source)})`).join(', ')} is configured, but ${z.devicePath} gives ${name} only ${zText}`;
          // Where the node's zebra actually reads its addresses from, for the hint on a listing.
          const real = zebraConfs(n).filter((o) => ZEBRA_READS.has(o.devicePath) && o !== z);
          const realAddrs = real.flatMap((o) => o.config.interfaces.flatMap((i) => i.addresses.filter((a) => (a.label ?? i.name) === name).map((a) => `${formatPrefix(a.address, a.prefixLength)} (${ref(a.source)})`)));
          const hint = reads
            ? `zebra adds the addresses in its config to the interface itself, so ${n.name} ends up with both and ripd advertises both: make ${z.devicePath} and the interface commands agree`
            : `${z.devicePath} is not read by zebra (it reads /etc/quagga/zebra.conf or /etc/frr/zebra.conf${realAddrs.length > 0 ? `, which the setup script writes with ${name} ${realAddrs.join(', ')}` : ''}); it misleads only whoever copies it: correct the listing to match the interface commands`;
          out.push({ severity: 'warning', code: 'zebra-address', node: n.name, message, sources: [...missing.map((a) => a.source), ...there.map((o) => o.source)], hint });
        }
      }
    }
  }
}

/** Pings to addresses nobody has. */
function unownedPings({ out, nodes, owners, zebraMentions }: DoctorScope): void {
  for (const n of nodes) {
    for (const s of n.bootSteps) {
      if (s.kind !== 'ping') continue;
      const target = readIpv4(s.target);
      if (target === null || target >>> 24 === 127 || owners.has(target)) continue;
      const near = [...owners.entries()].filter(([a]) => oneTypoApart(a, target) && a >>> 24 !== 127);
      const guess = near.length > 0 ? `; did you mean ${near.map(([a, os]) => `${formatIpv4(a)} (${os.map((o) => `${o.node.name} ${o.name}`).join(', ')})`).join(' or ')}?` : '';
      const mentioned = zebraMentions.get(target) ?? [];
      out.push({
        severity: 'warning',
        code: 'ping-unowned',
        node: n.name,
        message: `${n.name}: \`ping${s.count !== null ? ` -c${s.count}` : ''} ${s.target}\`: no node in the lab has ${s.target}, so the ping can only fail${guess}${mentioned.length > 0 ? ` (${s.target} appears only in ${mentioned.map(ref).join(', ')})` : ''}`,
        sources: [s.source, ...near.flatMap(([, os]) => os.map((o) => o.source)), ...mentioned],
        hint: near.length > 0 ? `ping ${formatIpv4(near[0]![0])}, the address the lab configures` : `ping an address some node has, or add ${s.target} to one`,
      });
    }
  }
}

/** RIP network lines. */
function ripNetworks({ out, nodes }: DoctorScope): void {
  for (const n of nodes) {
    if (n.rip === null) continue;
    const mine = ownedBy(n);
    const prefixes = n.rip.networks.filter((x): x is Extract<typeof x, { kind: 'prefix' }> => x.kind === 'prefix');
    for (const net of n.rip.networks) {
      if (net.kind === 'prefix') {
        if (mine.some((o) => inSubnet(o.address, net.prefix, net.prefixLength))) continue;
        out.push({
          severity: 'warning',
          code: 'rip-network',
          node: n.name,
          message: `${n.name}: RIP \`network ${net.written}\` covers no address of ${n.name} (${mine.filter((o) => o.address >>> 24 !== 127).map((o) => `${o.name} ${formatPrefix(o.address, o.prefixLength)}`).join(', ') || 'it has none'}): it enables no interface`,
          sources: [net.source],
          hint: `use a network that covers the interface RIP should run on, or delete the line`,
        });
        continue;
      }
      if (n.interfaces.some((i) => i.name === net.name)) continue;
      // Not an interface name: an alias label (`lo:0`) when the node has an address with that label.
      const alias = mine.find((o) => o.name === net.name);
      if (alias !== undefined) {
        const base = net.name.split(':')[0]!;
        const cover = prefixes.find((p) => inSubnet(alias.address, p.prefix, p.prefixLength));
        out.push({
          severity: 'warning',
          code: 'rip-network',
          node: n.name,
          message:
            `${n.name}: RIP \`network ${net.name}\` enables nothing: ${net.name} is an alias label (ifconfig's name for a second address of ${base}), not an interface; ` +
            `zebra and ripd know interfaces by their kernel name (${base}), so the line matches no interface. ` +
            (cover !== undefined
              ? `${formatPrefix(alias.address, alias.prefixLength)} is advertised anyway because \`network ${cover.written}\` (${ref(cover.source)}) covers it and so enables ${base}`
              : `Nothing else enables ${base}, so ${formatPrefix(alias.address, alias.prefixLength)} is not advertised`),
          sources: [net.source, alias.source, ...(cover !== undefined ? [cover.source] : [])],
          hint: `write \`network ${base}\` or \`network ${formatPrefix(alias.address, alias.prefixLength)}\``,
        });
        continue;
      }
      out.push({
        severity: 'warning',
        code: 'rip-network',
        node: n.name,
        message: `${n.name}: RIP \`network ${net.name}\` names no interface of ${n.name} (it has ${n.interfaces.map((i) => i.name).join(', ')})`,
        sources: [net.source],
        hint: `name one of ${n.name}'s interfaces, or a prefix`,
      });
    }
  }
}

const secs = (d: number): string => `${toSeconds(d)}s`;

/** Where a speaker's timers come from, for messages: its `timers basic` line, or its defaults. */
function timersWhere(t: SpeakerTimers): string {
  const ios = t.profile === 'cisco-ios';
  const which = `update ${secs(t.update)}, ${ios ? 'invalid' : 'timeout'} ${secs(t.invalid)}`;
  return t.written === null ? `${which} (${ios ? 'IOS' : 'FRR'} defaults: no \`timers basic\` under \`router rip\`, ${ref(t.routerRip)})` : `${which} (\`${t.written.text}\`, ${ref(t.written.source)})`;
}

const timersSource = (t: SpeakerTimers): SourceRef => t.written?.source ?? t.routerRip;

/**
 * A route learned from a neighbour lives `invalid` after each update that refreshes it (RFC 2453
 * §3.8: "If 180 seconds elapse from the last time the timeout was initialized, the route is
 * considered to have expired"). The RFC's defaults, timeout 180 s against updates every 30 s, make
 * the timeout six update intervals: a route outlives five lost updates in a row, jitter included.
 * We do not ask for the RFC's ratio (tuned labs commonly run three, `timers basic 5 15 15 20`);
 * the margin checked is the neighbour's longest gap between two updates (its jitter included,
 * `updateIntervalRange`):
 * - invalid ≤ that gap: a warning, the route expires in normal operation and flaps (every cycle
 *   when invalid ≤ the shortest gap, else whenever an update comes late);
 * - invalid ≤ twice that gap: a note, one lost update (a dropped packet, a busy neighbour) is
 *   enough to expire it.
 * Speakers on one segment with different timers are a warning of their own: Cisco's `timers basic`
 * usage guidelines say RIP's timers must be the same for all routers in the network, since the
 * algorithm is distributed and asynchronous.
 */
function ripTimers({ spec, out }: DoctorScope): void {
  const adjacencies = ripAdjacencies(spec);
  const pairs = new Map<string, RipAdjacency[]>();
  for (const a of adjacencies) {
    const key = `${a.receiver.node}\u0000${a.sender.node}`;
    pairs.set(key, [...(pairs.get(key) ?? []), a]);
  }
  for (const list of pairs.values()) {
    const { receiver: r, sender: s } = list[0]!;
    if (r.invalid > 2 * s.maxGap) continue;
    const on = list.map((a) => a.segment).join(', ');
    const gaps = s.minGap === s.maxGap ? secs(s.maxGap) : `${secs(s.minGap)}–${secs(s.maxGap)}`;
    const flaps = r.invalid <= s.maxGap;
    const what = !flaps
      ? `it outlasts ${s.node}'s longest gap between updates (${gaps}) but not two: one lost update from ${s.node} is enough to expire the routes ${r.node} learns from it`
      : r.invalid <= s.minGap
        ? `${s.node} sends an update every ${gaps}, so every route ${r.node} learns from ${s.node} expires before the next update refreshes it: the routes flap every update cycle, from boot on`
        : `${s.node} sends an update every ${gaps}, so a route ${r.node} learns from ${s.node} expires whenever an update comes later than ${secs(r.invalid)}: the routes flap`;
    out.push({
      severity: flaps ? 'warning' : 'info',
      code: 'rip-timeout-short',
      node: r.node,
      message: `${r.node}: RIP ${timersWhere(r)} against the updates of its neighbour ${s.node} on ${on}, ${timersWhere(s)}: ${what}`,
      sources: [timersSource(r), timersSource(s)],
      hint: `give ${r.node} an invalid (timeout) timer well above ${s.node}'s update interval (RFC 2453's defaults: six of them), or run the same \`timers basic\` on both`,
    });
  }
  const segments = new Map<string, SpeakerTimers[]>();
  for (const a of adjacencies) {
    const list = segments.get(a.segment) ?? [];
    for (const t of [a.sender, a.receiver]) if (!list.includes(t)) list.push(t);
    segments.set(a.segment, list);
  }
  for (const [segment, speakers] of segments) {
    if (new Set(speakers.map((t) => `${t.update}/${t.invalid}`)).size < 2) continue;
    out.push({
      severity: 'warning',
      code: 'rip-timers-differ',
      node: null,
      message: `${segment}: the RIP speakers on it run different timers: ${speakers.map((t) => `${t.node} ${timersWhere(t)}`).join(', ')}`,
      sources: speakers.map(timersSource),
      hint: 'run the same `timers basic` on every RIP speaker of the network (in each dialect\'s form: IOS "<update> <invalid> <holddown> <flush>", FRR "<update> <timeout> <garbage>")',
    });
  }
}

/** The RIP versions a speaker sends and accepts on one interface, and the lines that say so. */
interface InterfaceVersions {
  send: readonly (1 | 2)[];
  receive: readonly (1 | 2)[];
  sendFrom: SourceRef;
  receiveFrom: SourceRef;
  /** How they read in a message: `sends v2 (ripd's default, router rip at x:3)`. */
  sendText: string;
  receiveText: string;
}

const versionList = (vs: readonly (1 | 2)[]): string => (vs.length === 0 ? 'none' : vs.map((v) => `v${v}`).join(' and '));

/**
 * As the RIP process reads them (lib/lab/routing.ts ripConfigFromSpec, lib/proto/rip/router.ts): the
 * interface's `ip rip send|receive version` (IOS: `ip rip send|receive version`), else the router's
 * `version 1|2` for both directions, else the dialect's default (ripd: send 2, receive 1 and 2,
 * ripd.h RI_RIP_VERSION_2 / RI_RIP_VERSION_1_AND_2; IOS: send 1, receive 1 and 2).
 */
function interfaceVersions(n: NodeSpec, iface: string): InterfaceVersions {
  const rip = n.rip!;
  const profile = RIP_PROFILES[rip.flavour === 'ios' ? 'cisco-ios' : 'frr'];
  const dialect = rip.flavour === 'ios' ? "IOS's default" : "ripd's default";
  const i = rip.interfaces.find((x) => x.name === iface);
  const pick = (dir: 'send' | 'receive', own: { value: readonly (1 | 2)[]; source: SourceRef } | null | undefined, router: readonly (1 | 2)[]) => {
    if (own !== undefined && own !== null) return { versions: own.value, from: own.source, how: `\`ip rip ${dir} version\`, ${ref(own.source)}` };
    if (rip.version !== null) return { versions: [rip.version.value] as readonly (1 | 2)[], from: rip.version.source, how: `\`version ${rip.version.value}\`, ${ref(rip.version.source)}` };
    return { versions: router, from: rip.source, how: `${dialect}: no \`version\` under \`router rip\`, ${ref(rip.source)}` };
  };
  const send = pick('send', i?.sendVersion, [profile.defaultVersion.send]);
  const receive = pick('receive', i?.receiveVersion, profile.defaultVersion.receive);
  return {
    send: send.versions,
    receive: receive.versions,
    sendFrom: send.from,
    receiveFrom: receive.from,
    sendText: `${n.name} ${iface} sends ${versionList(send.versions)} (${send.how})`,
    receiveText: `${n.name} ${iface} accepts ${versionList(receive.versions)} (${receive.how})`,
  };
}

/**
 * Neighbours whose versions do not meet: ripd's rip_read drops a datagram whose version the
 * receiving interface does not accept ("RIP Version check. RFC2453, 4.6 and 5.1": `ip rip receive
 * version`, else the router's), counting it as a bad packet; IOS likewise ignores a version it is not
 * configured to receive (Cisco, "Configuring RIP": "ip rip receive version"). A sender that sends
 * nothing there (`none`) is left alone: that is what it was told to do.
 */
function ripVersions({ spec, out }: DoctorScope): void {
  const byName = new Map(spec.nodes.map((n) => [n.name, n]));
  for (const a of ripAdjacencies(spec)) {
    const s = interfaceVersions(byName.get(a.sender.node)!, a.senderInterface);
    const r = interfaceVersions(byName.get(a.receiver.node)!, a.receiverInterface);
    if (s.send.length === 0 || s.send.some((v) => r.receive.includes(v))) continue;
    out.push({
      severity: 'warning',
      code: 'rip-versions-differ',
      node: a.receiver.node,
      message: `${a.segment}: ${s.sendText}, but ${r.receiveText}: ${a.receiver.node} drops every update ${a.sender.node} sends there as a bad packet, and learns nothing from it`,
      sources: [r.receiveFrom, s.sendFrom],
      hint: `run one RIP version on the link: the same \`version\` on both routers, or \`ip rip send version\` / \`ip rip receive version\` that meet`,
    });
  }
}

/**
 * `neighbor A.B.C.D`: ripd.c rip_update_process sends a neighbour unicast updates out of the
 * interface whose subnet holds it, RIP enabled there or not ("Neighbor %s doesn't have connected
 * interface!" and nothing sent when none does), and rip_read takes a neighbour's datagrams on an
 * interface RIP does not run on. Seen on FRR 8.4.4 (data/real/frr84-rip-rules s1: updates to
 * 10.0.22.2 out of a-2, which no `network` covers). Multicast updates are not heard there (ripd joins
 * 224.0.0.9 only on interfaces RIP runs on), and the interface's own subnet is not advertised.
 */
function ripNeighbors({ out, nodes, owners }: DoctorScope): void {
  for (const n of nodes) {
    if (n.rip === null) continue;
    for (const nb of n.rip.neighbors) {
      const iface = n.interfaces.find((i) => i.addresses.some((a) => inSubnet(nb.value, a.address, a.prefixLength)) || i.aliases.some((a) => inSubnet(nb.value, a.address, a.prefixLength)));
      const who = (owners.get(nb.value) ?? []).map((o) => `${o.node.name} ${o.name}`);
      const named = `\`neighbor ${formatIpv4(nb.value)}\`${who.length > 0 ? ` (${who.join(', ')})` : ''}`;
      if (iface === undefined) {
        out.push({
          severity: 'warning',
          code: 'rip-neighbor',
          node: n.name,
          message: `${n.name}: RIP ${named} is on no subnet of ${n.name}'s interfaces: ${n.rip.flavour === 'ios' ? 'IOS' : 'ripd'} sends it no update${n.rip.flavour === 'ios' ? '' : ' (ripd logs "Neighbor ' + formatIpv4(nb.value) + ' doesn\'t have connected interface!")'}`,
          sources: [nb.source],
          hint: `give the address of a neighbour on a link of ${n.name}'s, or delete the line`,
        });
        continue;
      }
      if (ripEnabled(n, iface)) continue;
      // The neighbour's own updates reach us only if it, too, sends them to us by unicast.
      const peer = (owners.get(nb.value) ?? [])[0]?.node;
      const mine = ownedBy(n).filter((o) => o.name === iface.name).map((o) => o.address);
      const unicastBack = peer?.rip?.neighbors.some((x) => mine.includes(x.value)) ?? false;
      out.push({
        severity: unicastBack ? 'info' : 'warning',
        code: 'rip-neighbor',
        node: n.name,
        message:
          `${n.name}: RIP ${named} is on ${iface.name}, which no \`network\` enables: ${n.name} sends it unicast updates there all the same, but does not advertise ${iface.name}'s subnet, and hears no multicast update there` +
          (peer === undefined || peer.rip === null ? '' : unicastBack ? ` (${peer.name} sends ${n.name} unicast updates of its own, and those are taken)` : `, so nothing ${peer.name} sends there reaches ${n.name}'s RIP: ${peer.name} has no \`neighbor\` for ${n.name}`),
        sources: [nb.source, n.rip.source],
        hint: `enable RIP on ${iface.name} (\`network ${iface.name}\`, with \`passive-interface ${iface.name}\` to keep multicast updates off it), or give ${peer?.name ?? 'the neighbour'} a \`neighbor\` line back`,
      });
    }
  }
}

/** Resolv.conf against the DNS servers. */
function resolvers({ out, nodes, owners, servers }: DoctorScope): void {
  for (const n of nodes) {
    if (n.os !== 'linux') continue;
    const lines = fileLines(n, '/etc/resolv.conf');
    if (lines === null) continue;
    const ns: { address: number; line: FileLine }[] = [];
    for (const l of lines) {
      const m = /^\s*nameserver\s+(\S+)/.exec(l.text.replace(/[#;].*/, ''));
      const a = m === null ? null : readIpv4(m[1]!);
      if (a !== null) ns.push({ address: a, line: l });
    }
    const used = ns.slice(0, 3);
    const served = (a: number): NodeSpec[] => (a >>> 24 === 127 ? (servers.includes(n) ? [n] : []) : (owners.get(a) ?? []).map((o) => o.node).filter((x) => servers.includes(x)));
    const unserved = used.filter((x) => served(x.address).length === 0);
    for (const x of unserved) {
      const other = x.address >>> 24 === 127 ? [n.name] : (owners.get(x.address) ?? []).map((o) => `${o.node.name} ${o.name}`);
      out.push({
        severity: unserved.length === used.length ? 'error' : 'warning',
        code: 'resolver-no-server',
        node: n.name,
        message: `${n.name}: /etc/resolv.conf names nameserver ${formatIpv4(x.address)}, but no node running named owns it${other.length > 0 ? ` (${other.join(', ')} has it and runs no named)` : ''}${unserved.length === used.length ? `: ${n.name} can resolve no name` : `: every lookup tries it first and waits for the timeout when it comes first`}`,
        sources: [x.line.source],
        hint: `point it at a DNS server of the lab: ${servers.flatMap((s) => ownedBy(s).filter((o) => o.address >>> 24 !== 127).map((o) => `${formatIpv4(o.address)} (${s.name})`)).join(', ') || 'the lab has none (no node installs bind9)'}`,
      });
    }
    for (const x of ns.slice(3)) {
      out.push({
        severity: 'warning',
        code: 'resolver-too-many',
        node: n.name,
        message: `${n.name}: nameserver ${formatIpv4(x.address)} is the ${ns.indexOf(x) + 1}th: the resolver (glibc, and BIND's nslookup/dig) reads only the first three (MAXNS = 3) and ignores it`,
        sources: [x.line.source, ...used.map((u) => u.line.source)],
        hint: 'keep at most three nameserver lines; with anycast one address is enough',
      });
    }
  }
}

/** Named started before the addresses it should serve. */
function namedStarts({ spec, out, servers }: DoctorScope): void {
  const interval = formatDuration(BIND_PROFILES['bind-9.10'].interfaceInterval);
  for (const n of servers) {
    const plan = n.dns?.named?.bootPlan ?? namedBootPlan(spec, n);
    if (plan.lastStart === null) continue;
    const last = plan.lastStart;
    const order = plan.reordered ? ` (the lab option ${BIND_BEFORE_LO0_OPTION}: the order the write-up had before §4.3.4)` : '';
    for (const a of plan.lateAddresses) {
      const what = `\`ifconfig ${a.label ?? a.iface} ${formatIpv4(a.address)}\` (${ref(a.source)})`;
      const consequence = plan.runAsUser
        ? `It runs with -u bind, so what happens next depends on the build: bind-9.10-nocaps (named(8)'s -u note, §4.3.4) never listens there until named is restarted; ` +
          `bind-9.10 (Ubuntu's build keeps CAP_NET_BIND_SERVICE) picks it up at its interface-interval rescan, ${interval} after the start; bind-9.18 at once (automatic-interface-scan)`
        : `It runs as root (-u bind was deleted before this start), so every build binds it at its next rescan: bind-9.10 and bind-9.10-nocaps after interface-interval (${interval}), bind-9.18 at once`;
      out.push({
        severity: 'error',
        code: 'named-before-address',
        node: n.name,
        message: `${n.name}: named last (re)starts with ${stepText(last)} (${ref(last.source)}), before ${what}${order}. named binds port 53 only on the addresses that exist when it starts, so it does not listen on ${formatIpv4(a.address)}: ping answers, nslookup does not (§4.3.3). ${consequence}`,
        sources: [last.source, a.source],
        hint: `restart bind9 after ${what} (the write-up's final script does, at the end of its do_anycast block), or run named as root by deleting -u bind from /etc/default/bind9 (§4.3.4)`,
      });
    }
    if (plan.lateAddresses.length > 0) continue;
    // Fine as written, but only because of a later restart: say so, with the early start.
    const first = plan.starts[0]!;
    const early = plan.steps.slice(plan.steps.indexOf(first) + 1, plan.steps.indexOf(last)).filter((s): s is Extract<typeof s, { kind: 'address-added' }> => s.kind === 'address-added');
    for (const a of early) {
      out.push({
        severity: 'info',
        code: 'named-started-early',
        node: n.name,
        message:
          `${n.name}: ${stepText(first)} (${ref(first.source)}) starts named before \`ifconfig ${a.label ?? a.iface} ${formatIpv4(a.address)}\` (${ref(a.source)}): the order §4.3.4 found ("First, bind is started, and after that the lo:0 is created"). ` +
          `As written, ${stepText(last)} (${ref(last.source)}) comes after it, so the named that keeps running listens on ${formatIpv4(a.address)}`,
        sources: [first.source, a.source, last.source],
        hint: `keep the bind9 restart after the address (the lab option ${BIND_BEFORE_LO0_OPTION} shows what happens without it)`,
      });
    }
  }
}

/** Resolv.conf rewritten after the script wrote it (§4.3.2). */
function resolvConfRewrites({ out, nodes }: DoctorScope): void {
  for (const n of nodes) {
    const writes = n.writtenFiles.filter((w) => w.path === '/etc/resolv.conf');
    const lastWrite = writes[writes.length - 1];
    if (lastWrite === undefined) continue;
    const at = n.bootSteps.findIndex((s) => s.kind === 'file-written' && s.path === '/etc/resolv.conf' && s.source.line === lastWrite.source.line);
    for (const s of n.bootSteps.slice(at + 1)) {
      const rewrites =
        (s.kind === 'not-modelled' && /^(sudo\s+)?(dhclient|ifup|ifdown|resolvconf\s+-u|netplan\s+apply|systemctl\s+restart\s+(networking|systemd-networkd|systemd-resolved|resolvconf))\b/.test(s.command)) ||
        (s.kind === 'service' && ['networking', 'resolvconf', 'systemd-resolved', 'systemd-networkd'].includes(s.service) && s.action !== 'stop') ||
        (s.kind === 'packages-installed' && s.packages.some((p) => p === 'resolvconf' || p === 'systemd-resolved'));
      if (!rewrites) continue;
      out.push({
        severity: 'warning',
        code: 'resolv-conf-overwritten',
        node: n.name,
        message: `${n.name}: the script writes /etc/resolv.conf at ${ref(lastWrite.source)}, then ${s.kind === 'not-modelled' ? `\`${s.command}\`` : s.kind === 'service' ? `${s.service} ${s.action}` : `apt-get install ${s.packages.join(' ')}`} (${ref(s.source)}) rewrites it from DHCP or resolvconf: the nameservers written are lost (§4.3.2)`,
        sources: [lastWrite.source, s.source],
        hint: 'write /etc/resolv.conf at the end of the script (the write-up\'s fix), or set the nameservers in the interface configuration so DHCP keeps them',
      });
      break;
    }
  }
}

/** A finding as `file:line: severity: [code] message` plus an indented hint and the other places. */
export function formatDoctorFinding(f: DoctorFinding): string {
  const [first, ...rest] = f.sources;
  const head = `${first !== undefined ? `${ref(first)}: ` : ''}${f.severity}: [${f.code}] ${f.message}`;
  const also = rest.length > 0 ? `\n    see also: ${rest.map(ref).join(', ')}` : '';
  return `${head}${also}\n    hint: ${f.hint}`;
}
