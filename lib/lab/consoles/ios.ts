/**
 * Cisco IOS exec commands, printing what IOS 12.4 prints (the c3640 images of the write-up).
 */
import type { SimTime } from '../../sim/time';
import { seconds } from '../../sim/time';
import type { IcmpMessage, Ipv4Addr } from '../../wire/types';
import { IPPROTO_ICMP } from '../../wire/types';
import { ipv4ToString, macToCisco, tryParseIpv4, classfulLength, prefixMask } from '../../wire/addr';
import { parseInvoking } from '../../wire/icmp';
import type { NetNode } from '../../net/node';
import type { FibRoute } from '../../proto/fib';
import { CONSOLE_RUN_LIMIT, ConsoleError, runProcess, splitWords } from './process';
import { traceroute } from './traceroute';
import { iosShowIpProtocols, iosShowIpRipDatabase, ripPossiblyDown } from './rip';
import { iosRunningConfig } from './ios-running-config';
import type { NodeSpec } from '../../config/spec';

/**
 * NOTE: the c3640's IOS measures round trips with a 4 ms clock tick, so every time it prints is a
 * multiple of 4 ("4/4/8 ms", "4 msec 0 msec 4 msec" in the write-up). We truncate to the tick too.
 */
const IOS_TICK_MS = 4;

function iosMs(rtt: number): number {
  return Math.floor(rtt / 1000 / IOS_TICK_MS) * IOS_TICK_MS;
}

/** `spec`: the node's configuration as loaded, for `show running-config` (absent: a node built in code). */
export function iosCommand(node: NetNode, command: string, spec?: NodeSpec): string | null {
  const words = splitWords(command);
  const [cmd, ...args] = words;
  if (cmd === undefined) return '';
  if (cmd === 'ping') return iosPing(node, args);
  if (cmd === 'traceroute' || cmd === 'trace') return iosTraceroute(node, args);
  if (cmd === 'show' || cmd === 'sh') return iosShow(node, args, spec);
  return null;
}

function target(word: string | undefined): Ipv4Addr {
  if (word === undefined) throw new ConsoleError(`% Incomplete command.`);
  const addr = tryParseIpv4(word);
  if (addr === null) {
    // IOS would try DNS (ip domain-lookup) and print this after a timeout.
    throw new ConsoleError(`Translating "${word}"...domain server (255.255.255.255)\n% Unrecognized host or address, or protocol not running.`);
  }
  return addr;
}

/**
 * The ranges of `ping ip {host} [repeat count] [size bytes] [timeout seconds]` on IOS 12.4 (Cisco IOS
 * Network Management Command Reference, "ping"; the help shows `size <36-18024>`; the Sybex CIT guide,
 * ch. 4: extended ping sweeps "between 76 bytes and 18,024 bytes"). A value outside is refused the
 * way the parser refuses any word it cannot take.
 */
const IOS_PING_RANGES: Record<string, [number, number]> = { repeat: [1, 2147483647], size: [36, 18024], timeout: [0, 3600] };

function iosPing(node: NetNode, args: string[]): string {
  const dst = target(args[0]);
  const o: Record<string, number> = { repeat: 5, size: 100, timeout: 2 };
  for (let i = 1; i < args.length; i += 2) {
    const key = args[i]!;
    const range = IOS_PING_RANGES[key];
    const text = args[i + 1];
    if (range === undefined) throw new ConsoleError(`% Invalid input detected at '^' marker.`);
    if (text === undefined) throw new ConsoleError(`% Incomplete command.`);
    const value = Number(text);
    if (!/^\d+$/.test(text) || value < range[0] || value > range[1]) throw new ConsoleError(`% Invalid input detected at '^' marker.`);
    o[key] = value;
  }
  const count = o['repeat']!;
  const size = o['size']!;
  const timeout = o['timeout']!;
  // The lab's own bound: a probe costs up to its timeout (and a timeout of 0 still a second of
  // budget, so that a huge repeat count cannot run the simulator for hours of real time).
  const most = Math.floor(CONSOLE_RUN_LIMIT / seconds(Math.max(timeout, 1)));
  if (count > most) throw new ConsoleError(`% repeat ${count}: the lab simulates at most ${CONSOLE_RUN_LIMIT / seconds(3600)} h per command: at most ${most} at timeout ${timeout}`);
  const id = node.rng.int(0, 0xffff);
  const data = new Uint8Array(Math.max(0, size - 28));
  // IOS fills echo data with the 0xabcd pattern.
  for (let i = 0; i < data.length; i++) data[i] = i % 2 === 0 ? 0xab : 0xcd;
  const rtts: number[] = [];
  let marks = '';
  return runProcess(node.scheduler, seconds(timeout * count + 10), (p) => {
    p.print('Type escape sequence to abort.');
    p.print(`Sending ${count}, ${size}-byte ICMP Echos to ${ipv4ToString(dst)}, timeout is ${timeout} seconds:`);
    let seq = 0;
    let sentAt: SimTime = 0;
    let waiting = false;
    const finish = () => {
      p.print(marks);
      const ok = rtts.length;
      const pct = Math.floor((100 * ok) / count);
      let line = `Success rate is ${pct} percent (${ok}/${count})`;
      if (ok > 0) {
        const ticks = rtts.map(iosMs);
        const avg = Math.floor(ticks.reduce((a, b) => a + b, 0) / ok);
        line += `, round-trip min/avg/max = ${Math.min(...ticks)}/${avg}/${Math.max(...ticks)} ms`;
      }
      p.print(line);
      p.exit();
    };
    const next = () => {
      if (seq >= count) return finish();
      seq++;
      const mySeq = seq;
      sentAt = p.now;
      waiting = true;
      node.sendIp({ tos: 0, id: node.nextIpId(), dontFragment: false, moreFragments: false, fragmentOffset: 0, ttl: 255, protocol: IPPROTO_ICMP, src: 0, dst, payload: { kind: 'echo-request', id, seq: mySeq, data } });
      p.after(seconds(timeout), () => {
        if (waiting && seq === mySeq) {
          waiting = false;
          marks += '.';
          next();
        }
      });
    };
    const remove = node.addIcmpListener((msg, packet) => {
      if (!waiting) return;
      if (msg.kind === 'echo-reply' && msg.id === id && msg.seq === seq && packet.src === dst) {
        waiting = false;
        rtts.push(p.now - sentAt);
        marks += '!';
        next();
      } else if (msg.kind === 'dest-unreachable' && quotesEcho(msg, id, seq)) {
        waiting = false;
        marks += msg.code === 4 ? 'M' : 'U';
        next();
      } else if (msg.kind === 'time-exceeded' && quotesEcho(msg, id, seq)) {
        waiting = false;
        marks += '&';
        next();
      }
    });
    p.onExit(remove);
    next();
  });
}

function quotesEcho(msg: Extract<IcmpMessage, { invoking: Uint8Array }>, id: number, seq: number): boolean {
  const q = parseInvoking(msg.invoking);
  return q !== null && q.protocol === IPPROTO_ICMP && q.icmpId === id && q.icmpSeq === seq;
}

function iosTraceroute(node: NetNode, args: string[]): string {
  const dst = target(args[0]);
  const maxTtl = 30;
  const wait = seconds(3);
  return runProcess(node.scheduler, maxTtl * 3 * wait + seconds(10), (p) => {
    p.print('Type escape sequence to abort.');
    p.print(`Tracing the route to ${ipv4ToString(dst)}`);
    p.print('');
    traceroute(node, p, dst, {
      maxTtl,
      probesPerHop: 3,
      wait,
      payloadBytes: 0,
      dontFragment: false,
      host: (a) => `${ipv4ToString(a)} `,
      answer: (rtt, code) => `${iosMs(rtt)} msec ${code === null || code === 3 ? '' : code === 1 ? '!H ' : code === 0 ? '!N ' : code === 13 ? '!A ' : '!U '}`,
      hopLine: (ttl, text) => `${String(ttl).padStart(3)} ${text}`,
    });
  });
}

/** The `show` commands an IOS console runs; the dispatch and the "not simulated" hint both read it. */
const IOS_SHOW: { usage: string; words: RegExp; run: (node: NetNode, spec: NodeSpec | undefined) => string }[] = [
  { usage: 'show running-config', words: /^run(ning-config)?$/, run: (node, spec) => showRunningConfig(node, spec) },
  { usage: 'show ip route', words: /^ip ro(ute)?$/, run: (node) => showIpRoute(node) },
  { usage: 'show ip protocols', words: /^ip prot(ocols?)?$/, run: (node) => iosShowIpProtocols(node) },
  { usage: 'show ip rip database', words: /^ip rip d(atabase)?$/, run: (node) => iosShowIpRipDatabase(node) },
  { usage: 'show ip interface brief', words: /^ip int(erface)? br(ief)?$/, run: (node) => showIpInterfaceBrief(node) },
  { usage: 'show arp', words: /^(ip )?arp$/, run: (node) => showArp(node) },
  { usage: 'show version', words: /^(ver|version)$/, run: () => 'Cisco IOS Software, 3600 Software (C3640-IK9O3S-M), simulated by anycast-lab' },
];

/** The commands an IOS console runs, as the "not simulated" hint lists them. */
export function iosCommandList(): string {
  return ['ping', 'traceroute', ...IOS_SHOW.map((c) => c.usage)].join(', ');
}

function iosShow(node: NetNode, args: string[], spec: NodeSpec | undefined): string {
  const what = args.join(' ');
  const entry = IOS_SHOW.find((c) => c.words.test(what));
  if (entry === undefined) throw new ConsoleError(`% Invalid input detected at '^' marker.`);
  return entry.run(node, spec);
}

/** The configuration as IOS keeps it (./ios-running-config.ts), each interface's shutdown as it is now. */
function showRunningConfig(node: NetNode, spec: NodeSpec | undefined): string {
  if (spec === undefined) throw new ConsoleError(`% ${node.name} was built without IOS configuration text: no running configuration to show`);
  return iosRunningConfig(spec, (name) => node.iface(name)?.adminUp ?? true);
}

const IOS_ROUTE_CODES = `Codes: C - connected, S - static, R - RIP, M - mobile, B - BGP
       D - EIGRP, EX - EIGRP external, O - OSPF, IA - OSPF inter area 
       N1 - OSPF NSSA external type 1, N2 - OSPF NSSA external type 2
       E1 - OSPF external type 1, E2 - OSPF external type 2
       i - IS-IS, su - IS-IS summary, L1 - IS-IS level-1, L2 - IS-IS level-2
       ia - IS-IS inter area, * - candidate default, U - per-user static route
       o - ODR, P - periodic downloaded static route`;


/** `00:00:12` for ages under a day, as IOS 12.4 prints them. */
export function iosAge(us: number): string {
  const s = Math.floor(us / 1_000_000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h >= 24) return `${Math.floor(h / 24)}d${String(h % 24).padStart(2, '0')}h`;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`;
}

export function showIpRoute(node: NetNode): string {
  const routes = withLoopbacks(node, node.fib.routes());
  const out = [IOS_ROUTE_CODES, ''];
  const defaults = routes.filter((r) => r.prefixLength === 0);
  out.push(defaults.length > 0 ? `Gateway of last resort is ${ipv4ToString(defaults[0]!.nextHop)} to network 0.0.0.0` : 'Gateway of last resort is not set');
  out.push('');
  // Group by classful major network, as IOS does.
  const groups = new Map<string, typeof routes>();
  for (const r of routes) {
    if (r.prefixLength === 0) continue;
    const cl = classfulLength(r.prefix);
    const major = (r.prefix & prefixMask(cl)) >>> 0;
    const key = `${major}/${cl}`;
    const list = groups.get(key) ?? [];
    list.push(r);
    groups.set(key, list);
  }
  for (const [key, list] of groups) {
    const [majorText, clText] = key.split('/');
    const major = Number(majorText);
    const cl = Number(clText);
    const lengths = [...new Set(list.map((r) => r.prefixLength))];
    const distinct = [...new Set(list.map((r) => `${r.prefix}/${r.prefixLength}`))].length;
    const subnetted = !(list.length === 1 && list[0]!.prefixLength === cl);
    const showMask = lengths.length > 1;
    if (subnetted) {
      if (lengths.length === 1) out.push(`     ${ipv4ToString(major)}/${lengths[0]} is subnetted, ${distinct} subnet${distinct === 1 ? '' : 's'}`);
      else out.push(`     ${ipv4ToString(major)}/${cl} is variably subnetted, ${distinct} subnets, ${lengths.length} masks`);
    }
    let lastPrefix = '';
    for (const r of list) {
      const prefixText = `${ipv4ToString(r.prefix)}${showMask || !subnetted ? '/' + r.prefixLength : ''}`;
      const code = r.source === 'connected' || r.source === 'local' ? 'C' : r.source === 'static' ? 'S' : 'R';
      const iface = node.interfaces[r.ifIndex]?.name ?? 'Null0';
      const same = `${r.prefix}/${r.prefixLength}` === lastPrefix;
      lastPrefix = `${r.prefix}/${r.prefixLength}`;
      const lead = same ? ' '.repeat(8 + prefixText.length) : `${code.padEnd(subnetted ? 8 : 3)}${prefixText}`;
      // IOS lists `ip route P M Null0` as "is directly connected, Null0".
      if (r.source === 'connected' || r.blackhole !== undefined) out.push(`${lead} is directly connected, ${iface}`);
      else if (r.source === 'static') out.push(`${lead} [${r.distance}/${r.metric}] via ${ipv4ToString(r.nextHop)}`);
      else if (ripPossiblyDown(node, r)) out.push(`${lead} is possibly down, routing via ${ipv4ToString(r.nextHop)}, ${iface}`);
      else out.push(`${lead} [${r.distance}/${r.metric}] via ${ipv4ToString(r.nextHop)}, ${iosAge(node.now - r.updatedAt)}, ${iface}`);
    }
  }
  // The default route, marked candidate default: "R* 0.0.0.0/0 [120/0] via 10.1.5.5, 00:00:00
  // Serial 0/1" after the networks in the Sybex CCNA guide's IOS 12 example (as quoted on
  // it-certification-network.blogspot.com, "Configuring a gateway of last resort"); "S* 0.0.0.0/0
  // [1/0] via …" for a static one (networklessons.com, "IP routing table - candidate default route").
  // NOTE: IOS orders major networks by its own table; putting the default last is that example's order.
  for (const r of defaults) {
    const code = r.source === 'static' ? 'S*' : 'R*';
    const iface = node.interfaces[r.ifIndex]?.name ?? 'Null0';
    if (r.blackhole !== undefined || (r.source === 'static' && r.nextHop === 0)) out.push(`${code.padEnd(5)}0.0.0.0/0 is directly connected, ${iface}`);
    else if (r.source === 'static') out.push(`${code.padEnd(5)}0.0.0.0/0 [${r.distance}/${r.metric}] via ${ipv4ToString(r.nextHop)}`);
    else out.push(`${code.padEnd(5)}0.0.0.0/0 [${r.distance}/${r.metric}] via ${ipv4ToString(r.nextHop)}, ${iosAge(node.now - r.updatedAt)}, ${iface}`);
  }
  return out.join('\n');
}

/**
 * A loopback's address is a connected route on IOS (`C 172.16.0.1 is directly connected, Loopback0`);
 * the stack keeps loopback addresses as local addresses only (node.ts rebuildRoutes), so the console
 * adds them, in prefix order.
 */
function withLoopbacks(node: NetNode, routes: FibRoute[]): FibRoute[] {
  const extra: FibRoute[] = [];
  for (const i of node.interfaces) {
    if (!i.loopback || !i.operational) continue;
    for (const a of i.addresses) {
      // The stack's own 127.0.0.1 is not an IOS address.
      if (a.address >>> 24 === 127) continue;
      const prefix = (a.address & prefixMask(a.prefixLength)) >>> 0;
      extra.push({ prefix, prefixLength: a.prefixLength, nextHop: 0, ifIndex: i.index, source: 'connected', distance: 0, metric: 0, updatedAt: node.now });
    }
  }
  if (extra.length === 0) return routes;
  return [...routes, ...extra].sort((a, b) => a.prefix - b.prefix || a.prefixLength - b.prefixLength || a.nextHop - b.nextHop);
}

function showIpInterfaceBrief(node: NetNode): string {
  const out = ['Interface                  IP-Address      OK? Method Status                Protocol'];
  for (const i of node.interfaces) {
    const addr = i.addresses.length > 0 ? ipv4ToString(i.primaryAddress) : 'unassigned';
    const method = i.addresses.length > 0 ? 'manual' : 'unset ';
    const status = !i.adminUp ? 'administratively down' : i.operational ? 'up' : 'down';
    const protocol = i.operational ? 'up' : 'down';
    out.push(`${i.name.padEnd(27)}${addr.padEnd(16)}YES ${method} ${status.padEnd(22)}${protocol}`);
  }
  return out.join('\n');
}

function showArp(node: NetNode): string {
  const out = ['Protocol  Address          Age (min)  Hardware Addr   Type   Interface'];
  const rows: { ip: Ipv4Addr; line: string }[] = [];
  for (const iface of node.interfaces) {
    if (!iface.operational || iface.loopback) continue;
    for (const a of iface.addresses) {
      rows.push({ ip: a.address, line: `Internet  ${ipv4ToString(a.address).padEnd(17)}       -   ${macToCisco(iface.mac)}  ARPA   ${iface.name}` });
    }
    for (const e of node.arpCache(iface.index).list()) {
      const age = e.state === 'incomplete' ? '0' : String(Math.floor((node.now - e.confirmedAt) / seconds(60)));
      const hw = e.state === 'incomplete' ? 'Incomplete     ' : macToCisco(e.mac);
      rows.push({ ip: e.ip, line: `Internet  ${ipv4ToString(e.ip).padEnd(17)}${age.padStart(6)}   ${hw}  ARPA   ${iface.name}` });
    }
  }
  rows.sort((a, b) => a.ip - b.ip);
  return [...out, ...rows.map((r) => r.line)].join('\n');
}
