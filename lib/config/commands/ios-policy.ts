/**
 * Cisco IOS route policy for RIP: standard access lists, `distance` and `offset-list`, read into the
 * same spec structures as FRR's (./frr-policy.ts): `AccessListEntrySpec` (style `cisco`), `distance`,
 * `distanceSources` and `offsetLists`. lib/lab/routing.ts runs them with IOS's rules where IOS and
 * ripd differ (lib/proto/rip/policy.ts `rules: 'ios'`).
 *
 * - Cisco IOS Security Command Reference, `access-list (IP standard)`: `access-list
 *   access-list-number {deny | permit} source [source-wildcard] [log]`, numbers 1-99 and 1300-1999;
 *   `any` is 0.0.0.0 255.255.255.255; `host A` or a lone address has wildcard 0.0.0.0; `no
 *   access-list N` deletes the whole list; `remark` changes nothing.
 * - Cisco IOS IP Routing: RIP / Protocol-Independent Command Reference, `distance (IP)`: `distance
 *   weight [ip-address wildcard-mask [access-list-number | name]]`, weight 1-255, the address and
 *   wildcard match "the source" (the router the route is learned from).
 * - RIP command reference, `offset-list {access-list-number | access-list-name} {in | out} offset
 *   [interface-type interface-number]`, offset 0-16, list 0 every route.
 */
import { formatIpv4, readIpv4 } from '../addr';
import { kw, readInt } from '../common';
import type { Findings } from '../errors';
import type { AccessListEntrySpec, RipConfigSpec } from '../spec';
import type { Command, CommandLine } from './engine';
import { normalizeIosInterfaceName } from './ios-names';
import type { RipState } from './rip';

const isStandardList = (n: number): boolean => (n >= 1 && n <= 99) || (n >= 1300 && n <= 1999);

/** The source part of a standard list line (`any`, `host A`, `A`, `A W`, each with an optional `log`). */
function standardSource(words: readonly string[]): { address: number; wildcard: number } | null {
  const rest = kw(words[words.length - 1], 'log', 3) ? words.slice(0, -1) : words;
  const [first, second] = rest;
  if (rest.length === 1 && kw(first, 'any', 1)) return { address: 0, wildcard: 0xffffffff };
  if (rest.length === 2 && kw(first, 'host', 1)) {
    const host = readIpv4(second!);
    return host === null ? null : { address: host, wildcard: 0 };
  }
  const address = first === undefined ? null : readIpv4(first);
  if (address === null || rest.length > 2) return null;
  if (rest.length === 1) return { address, wildcard: 0 };
  const wildcard = readIpv4(second!);
  return wildcard === null ? null : { address, wildcard };
}

/**
 * One global `access-list` line into `lists` (all of the file's standard lists, in order). Extended
 * lists (100-199, 2000-2699) are not modelled: a finding. Wrong arguments are a problem.
 */
export function readIosAccessList(l: CommandLine, lists: AccessListEntrySpec[], findings: Findings, problem: (message: string) => void): void {
  const [name, action, ...rest] = l.args;
  const number = readInt(name, 1, 2699);
  if (name === undefined || number === null) {
    problem(`expected "access-list <1-99|1300-1999> permit|deny <address> [<wildcard>]", got ${l.got}`);
    return;
  }
  if (!isStandardList(number)) {
    findings.add('unsupported', l.lineNo, `${l.got}: extended access lists are not modelled (only standard lists, 1-99 and 1300-1999)`);
    return;
  }
  if (l.negated) {
    const kept = lists.filter((e) => e.name !== name);
    lists.length = 0;
    lists.push(...kept);
    return;
  }
  if (kw(action, 'remark', 3)) return;
  const verb = kw(action, 'permit', 1) ? 'permit' : kw(action, 'deny', 1) ? 'deny' : null;
  const match = standardSource(rest);
  if (verb === null || match === null) {
    problem(`expected "access-list ${name} permit|deny <address> [<wildcard>]", "any" or "host <address>", got ${l.got}`);
    return;
  }
  // IOS keeps the address with the wildcard's bits cleared (`permit 10.1.1.1 0.0.0.255` is shown as
  // 10.1.1.0 0.0.0.255); matching ignores those bits either way.
  lists.push({ style: 'cisco', name, action: verb, address: (match.address & ~match.wildcard) >>> 0, wildcard: match.wildcard >>> 0, source: l.src });
}

/** The prefix length of a contiguous wildcard (0.0.0.255 → 24); null when its one bits are not the low ones. */
export function wildcardPrefixLength(wildcard: number): number | null {
  const w = wildcard >>> 0;
  if (((w + 1) & w) >>> 0 !== 0) return null;
  let ones = 0;
  for (let x = w; x !== 0; x >>>= 1) ones++;
  return 32 - ones;
}

/** IOS `distance weight [address wildcard [list]]`; `no distance …` removes the same line. */
function iosDistance(s: RipState, l: CommandLine): void {
  const r = s.rip;
  const [w, a, m, acl, ...extra] = l.args;
  const weight = readInt(w, 1, 255);
  const address = a === undefined ? null : readIpv4(a);
  const wildcard = m === undefined ? null : readIpv4(m);
  if (weight === null || (a !== undefined && (address === null || wildcard === null)) || extra.length > 0) {
    s.problems.add(l.lineNo, `expected "distance <1-255> [<source address> <wildcard> [<access-list>]]", got ${l.got}`);
    return;
  }
  if (address === null || wildcard === null) {
    if (l.negated) delete r.distance;
    else r.distance = { value: weight, source: l.src };
    return;
  }
  const prefixLength = wildcardPrefixLength(wildcard);
  if (prefixLength === null) {
    s.findings.add('unsupported', l.lineNo, `${l.got}: wildcard ${formatIpv4(wildcard)} is not contiguous; only wildcards of the form 0.0.0.255 (a prefix) are modelled: line not used`);
    return;
  }
  const prefix = (address & ~wildcard) >>> 0;
  const list = (r.distanceSources ??= []).filter((x) => !(x.prefix === prefix && x.prefixLength === prefixLength));
  if (!l.negated) list.push({ prefix, prefixLength, distance: weight, accessList: acl ?? null, source: l.src });
  r.distanceSources = list;
}

/** IOS `offset-list list in|out offset [interface]`; `no offset-list …` removes the same line. */
function iosOffsetList(s: RipState, l: CommandLine): void {
  const r = s.rip;
  const [acl, dir, n, ...ifWords] = l.args;
  const direction = kw(dir, 'in', 2) ? 'in' : kw(dir, 'out', 1) ? 'out' : null;
  const offset = readInt(n, 0, 16);
  const iface = ifWords.length === 0 ? null : normalizeIosInterfaceName(ifWords.join(' '));
  if (acl === undefined || direction === null || offset === null || (ifWords.length > 0 && iface === null)) {
    s.problems.add(l.lineNo, `expected "offset-list <access-list> in|out <0-16> [<interface>]", got ${l.got}`);
    return;
  }
  const offsets = (r.offsetLists ??= []);
  const earlier = offsets.find((x) => x.iface === iface && x.direction === direction);
  // NOTE: one list per direction and interface, as ripd keeps them (rip_offset.c); the IOS reference
  // does not say what a second one does, so the later line is read as replacing the earlier.
  if (earlier !== undefined && !l.negated) {
    s.findings.add('note', l.lineNo, `${l.got}: replaces the offset-list ${direction}${iface === null ? '' : ` ${iface}`} of line ${earlier.source.line} (one per direction and interface)`);
  }
  r.offsetLists = offsets.filter((x) => x !== earlier);
  if (!l.negated) r.offsetLists.push({ accessList: acl, direction, offset, iface, source: l.src });
}

/** The IOS `router rip` commands of this file, for ./rip.ts's table (before its catch-all). */
export const IOS_RIP_POLICY_COMMANDS: readonly Command<RipState>[] = [
  { syntax: { ios: 'dista(nce) LINE...' }, help: 'the administrative distance of RIP routes (all, or by source and access list)', raw: true, no: 'same', apply: iosDistance },
  { syntax: { ios: 'off(set-list) LINE...' }, help: 'add to the metric of routes in or out (all, or on one interface)', raw: true, no: 'same', apply: iosOffsetList },
];

/**
 * The file's access lists go with the RIP configuration (as FRR's do: ./frr-policy.ts
 * attachAccessLists), for `distance` and `offset-list` and for `show running-config`. A list named but
 * not defined is a finding. NOTE: IOS accepts the reference; what an undefined list matches is not
 * documented for these commands; it is read as permitting every route, as list 0 does
 * (lib/lab/routing.ts). That reading is inferred, and the finding says so.
 */
export function attachIosAccessLists(rip: RipConfigSpec, lists: readonly AccessListEntrySpec[], findings: Findings): void {
  if (lists.length > 0) rip.accessLists = [...lists];
  const named = [...(rip.distanceSources ?? []).map((d) => ({ list: d.accessList, source: d.source })), ...(rip.offsetLists ?? []).map((o) => ({ list: o.accessList === '0' ? null : o.accessList, source: o.source }))];
  for (const x of named) {
    if (x.list !== null && !lists.some((e) => e.name === x.list)) findings.add('note', x.source.line, `access list ${x.list} is not defined: read as permitting every route (inferred; IOS documents list 0 only)`);
  }
}
