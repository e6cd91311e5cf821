/**
 * FRR's static routes (staticd), access lists (lib/filter.c) and ripd's route policy (`distance`,
 * `offset-list`), as FRR 8.4 reads them.
 *
 * - staticd/static_vty.c: `ip route A.B.C.D/M <A.B.C.D|IFNAME|blackhole|reject|Null0> [tag (1-4294967295)]
 *   [(1-255)]` (the distance); `Null0` is a blackhole (static_vty.c maps "Null0" to blackhole). A real
 *   FRR 8.4 `staticd --dryrun` refuses a distance of 300 ("No such command").
 * - FRR 8.4's zebra has no `ip route` (staticd took the static routes over in FRR 4): a real FRR 8.4
 *   `zebra --dryrun` says "No such command on config line 2: ip route 10.20.0.0/16 Null0" for a
 *   zebra.conf with one. Quagga's zebra read them (its zebra_vty.c `ip route`).
 * - lib/filter.c: `access-list WORD [seq (1-4294967295)] <deny|permit> <A.B.C.D/M [exact-match]|any>`,
 *   and the standard numbered `access-list (1-99)|(1300-1999) <deny|permit> <A.B.C.D A.B.C.D|host
 *   A.B.C.D|any>`. `remark` lines are kept by FRR and change nothing.
 * - ripd/rip_cli.c: `distance (1-255)`, `distance (1-255) A.B.C.D/M [WORD]`, `offset-list WORD <in|out>
 *   (0-16) [IFNAME]`.
 */
import { formatPrefix, networkOf, readCidr, readIpv4 } from '../addr';
import { isLinuxInterfaceName, kw, readInt } from '../common';
import type { Findings, Problems } from '../errors';
import type { AccessListEntrySpec, RipConfigSpec, StaticRouteSpec } from '../spec';
import type { CommandLine, Command } from './engine';
import type { RipState } from './rip';

/**
 * One `ip route` of staticd (or of Quagga's zebra), or a problem. `words` start at `ip`.
 * Returns null when the line is wrong (the problem is added).
 */
export function readFrrStaticRoute(words: readonly string[], l: CommandLine, problems: Problems, findings: Findings): StaticRouteSpec | null {
  const expected = `expected "ip route <prefix/length> <next-hop address | interface | blackhole | reject | Null0> [tag <1-4294967295>] [<distance 1-255>]", got ${l.got}`;
  const p = words[2] === undefined ? null : readCidr(words[2]);
  const hop = words[3];
  if (p === null || hop === undefined) {
    problems.add(l.lineNo, expected);
    return null;
  }
  if (networkOf(p.address, p.prefixLength) !== p.address) {
    problems.add(l.lineNo, `${l.got}: ${words[2]} has host bits set; expected the network address ${formatPrefix(networkOf(p.address, p.prefixLength), p.prefixLength)}`);
    return null;
  }
  const route: StaticRouteSpec = { prefix: p.address, prefixLength: p.prefixLength, via: null, device: null, source: l.src, zebra: true };
  const via = readIpv4(hop);
  // static_vty.c: "blackhole", "reject" and the interface name "Null0" need no next hop.
  if (via !== null) route.via = via;
  else if (kw(hop, 'blackhole', 1) || hop === 'Null0') route.blackhole = 'blackhole';
  else if (kw(hop, 'reject', 1)) route.blackhole = 'reject';
  else if (isLinuxInterfaceName(hop)) route.device = hop;
  else {
    problems.add(l.lineNo, expected);
    return null;
  }
  let i = 4;
  // `ip route P GW IFNAME`: a next hop through a named interface.
  if (via !== null && words[i] !== undefined && readInt(words[i], 1, 255) === null && isLinuxInterfaceName(words[i]!) && !kw(words[i], 'tag', 3)) {
    route.device = words[i]!;
    i++;
  }
  for (; i < words.length; i++) {
    const w = words[i]!;
    if (kw(w, 'tag', 3)) {
      if (readInt(words[i + 1], 1, 4294967295) === null) {
        problems.add(l.lineNo, expected);
        return null;
      }
      findings.add('ignored', l.lineNo, `${l.got}: the route tag changes nothing the simulator shows`);
      i++;
    } else if (/^\d+$/.test(w)) {
      const d = readInt(w, 1, 255);
      if (d === null) {
        problems.add(l.lineNo, `${l.got}: the distance must be 1-255 (FRR 8.4's staticd says "No such command"), got ${w}`);
        return null;
      }
      route.distance = d;
    } else {
      findings.add('unsupported', l.lineNo, `${l.got}: "${words.slice(i).join(' ')}" is not modelled`);
      break;
    }
  }
  return route;
}

/** `access-list …` (lib/filter.c), or null when the line is wrong (the problem is added). */
export function readAccessList(words: readonly string[], l: CommandLine, problems: Problems): AccessListEntrySpec | 'remark' | null {
  const name = words[1];
  const fail = (): null => {
    problems.add(l.lineNo, `expected "access-list <name> [seq <n>] permit|deny <prefix/length> [exact-match] | any" or "access-list <1-99> permit|deny <address> <wildcard> | host <address> | any", got ${l.got}`);
    return null;
  };
  if (name === undefined) return fail();
  let i = 2;
  if (kw(words[i], 'remark', 1)) return 'remark';
  if (kw(words[i], 'seq', 3)) {
    if (readInt(words[i + 1], 1, 4294967295) === null) return fail();
    i += 2;
  }
  const action = kw(words[i], 'permit', 1) ? 'permit' : kw(words[i], 'deny', 1) ? 'deny' : null;
  if (action === null) return fail();
  i++;
  const rest = words.slice(i);
  const numbered = /^\d+$/.test(name) && ((Number(name) >= 1 && Number(name) <= 99) || (Number(name) >= 1300 && Number(name) <= 1999));
  if (numbered) {
    // filter.c's cisco-style standard list: an address and a wildcard mask.
    if (rest.length === 1 && kw(rest[0], 'any', 1)) return { style: 'cisco', name, action, address: 0, wildcard: 0xffffffff, source: l.src };
    if (rest.length === 2 && kw(rest[0], 'host', 1)) {
      const a = readIpv4(rest[1]!);
      return a === null ? fail() : { style: 'cisco', name, action, address: a, wildcard: 0, source: l.src };
    }
    if (rest.length === 2) {
      const a = readIpv4(rest[0]!);
      const w = readIpv4(rest[1]!);
      if (a === null || w === null) return fail();
      return { style: 'cisco', name, action, address: (a & ~w) >>> 0, wildcard: w, source: l.src };
    }
    return fail();
  }
  if (rest.length === 1 && kw(rest[0], 'any', 1)) return { style: 'zebra', name, action, prefix: 0, prefixLength: 0, exact: false, any: true, source: l.src };
  const p = rest[0] === undefined ? null : readCidr(rest[0]);
  if (p === null || rest.length > 2 || (rest.length === 2 && !kw(rest[1], 'exact-match', 1))) return fail();
  return { style: 'zebra', name, action, prefix: networkOf(p.address, p.prefixLength), prefixLength: p.prefixLength, exact: rest.length === 2, any: false, source: l.src };
}

/** ripd `distance (1-255) [A.B.C.D/M [WORD]]` (rip_cli.c `rip_distance`, `rip_distance_source`). */
function ripDistance(s: RipState, l: CommandLine): void {
  const r = s.rip;
  const args = l.args;
  const expected = `expected "distance <1-255>" or "distance <1-255> <prefix/length> [<access-list>]", got ${l.got}`;
  const d = readInt(args[0], 1, 255);
  if (args.length === 0 && l.negated) {
    delete r.distance;
    return;
  }
  if (d === null || args.length > 3) {
    s.problems.add(l.lineNo, expected);
    return;
  }
  if (args.length === 1) {
    if (l.negated) delete r.distance;
    else r.distance = { value: d, source: l.src };
    return;
  }
  const p = readCidr(args[1]!);
  if (p === null) {
    s.problems.add(l.lineNo, expected);
    return;
  }
  const prefix = networkOf(p.address, p.prefixLength);
  const list = (r.distanceSources ??= []).filter((x) => !(x.prefix === prefix && x.prefixLength === p.prefixLength));
  if (!l.negated) list.push({ prefix, prefixLength: p.prefixLength, distance: d, accessList: args[2] ?? null, source: l.src });
  r.distanceSources = list;
}

/** ripd `offset-list WORD <in|out> (0-16) [IFNAME]` (rip_cli.c `rip_offset_list`). */
function ripOffsetList(s: RipState, l: CommandLine): void {
  const r = s.rip;
  const [acl, dir, n, iface] = l.args;
  const offset = readInt(n, 0, 16);
  const direction = kw(dir, 'in', 2) ? 'in' : kw(dir, 'out', 1) ? 'out' : null;
  if (acl === undefined || direction === null || offset === null || l.args.length > 4 || (iface !== undefined && !isLinuxInterfaceName(iface))) {
    s.problems.add(l.lineNo, `expected "offset-list <access-list> in|out <0-16> [<interface>]", got ${l.got}`);
    return;
  }
  const name = iface ?? null;
  // One list per (interface, direction): a second line replaces the first (rip_offset.c keeps one per ifname).
  const list = (r.offsetLists ??= []).filter((x) => !(x.iface === name && x.direction === direction));
  if (!l.negated) list.push({ accessList: acl, direction, offset, iface: name, source: l.src });
  r.offsetLists = list;
}

/** The `router rip` commands of this file, for ./rip.ts's table (before its catch-all). */
export const FRR_RIP_POLICY_COMMANDS: readonly Command<RipState>[] = [
  { syntax: { frr: 'dis(tance) LINE...' }, help: 'the administrative distance of RIP routes (per source prefix, with an access list)', raw: true, no: 'same', apply: ripDistance },
  { syntax: { frr: 'of(fset-list) LINE...' }, help: 'add to the metric of routes an access list permits', raw: true, no: 'same', apply: ripOffsetList },
];

/** Attaches the file's access lists to its RIP configuration (ripd reads both from ripd.conf / frr.conf). */
export function attachAccessLists(rip: RipConfigSpec, lists: readonly AccessListEntrySpec[]): void {
  if (lists.length > 0) rip.accessLists = [...(rip.accessLists ?? []), ...lists];
}

