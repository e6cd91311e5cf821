/**
 * What a LabSpec node's DNS is built from: its files after the setup script, whether it installs
 * bind9, the zones make_config makes on it, its named.conf.options and how named boots. `loadLab`
 * resolves all of it once (`resolveNodeDns`) into `NodeSpec.dns`; the simulator (lib/lab/dns.ts),
 * the BIND and Vagrant writers and the real lab read that, so the zones BIND is given are the ones
 * the simulator serves, and no lab file is read again after load.
 */
import type { Ipv4Addr } from '../wire/types';
import { Zone } from '../proto/dns/zone';
import { LabFileError, type LabFileProblem } from './errors';
import {
  DEBIAN_NAMED_CONF_OPTIONS,
  DnsConfigError,
  LOOPBACK_NAMESERVER,
  makeConfig,
  parseDnsInputFile,
  parseHosts,
  parseNamedOptions,
  parseResolvConf,
  withAllowRecursion,
  type MakeConfigResult,
} from './dns';
import type { AddressStep, BootStep, LabSpec, NamedBootPlan, NamedOptionsSpec, NamedSpec, NamedStartStep, NodeDnsSpec, NodeSpec, SourceRef } from './spec';

export type { NamedBootPlan, NamedStartStep, AddressStep } from './spec';

type ZonesStep = Extract<BootStep, { kind: 'dns-zones-generated' }>;

/** The setup script's make_config run (the first; make_config runs once), or undefined. */
function zonesStep(n: NodeSpec): ZonesStep | undefined {
  return n.bootSteps.find((s): s is ZonesStep => s.kind === 'dns-zones-generated');
}

/** A file on the node after its setup script, with where each of its lines was written. */
interface NodeFileText {
  text: string;
  /** One per line of `text` (`text.split('\n')`): the lab file and line it came from. */
  sources: SourceRef[];
}

function lineSources(text: string, file: string, firstLine: number): SourceRef[] {
  return text.split('\n').map((_, i) => ({ file, line: firstLine + i }));
}

/**
 * The content of a file on the node after its setup script: written files (the last write and the
 * appends after it), else the bound lab file as read at load.
 */
function nodeFileText(n: NodeSpec, path: string): NodeFileText | null {
  let found: NodeFileText | null = null;
  for (const w of n.writtenFiles) {
    if (w.path !== path) continue;
    const add = lineSources(w.content, w.source.file, w.contentLine);
    if (w.mode === 'append' && found !== null) {
      // The appended text goes on the last line (an empty one after a final newline).
      found = { text: found.text + w.content, sources: found.text.endsWith('\n') ? [...found.sources.slice(0, -1), ...add] : [...found.sources, ...add.slice(1)] };
    } else found = { text: w.content, sources: add };
  }
  if (found !== null) return found;
  const bound = n.files.find((f) => f.devicePath === path);
  return bound === undefined ? null : { text: bound.text, sources: lineSources(bound.text, bound.labFile, 1) };
}

/** The content of a file on the node after its setup script: written files, else bound lab files. */
export function nodeFile(_spec: LabSpec, n: NodeSpec, path: string): string | null {
  return nodeFileText(n, path)?.text ?? null;
}

/** Whether the node's setup installs bind9 (apt-get install bind9). */
export function installsBind(n: NodeSpec): boolean {
  return n.bootSteps.some((s) => s.kind === 'packages-installed' && s.packages.includes('bind9'));
}

/** The node's first address on a non-loopback interface (make_config's `$i_am_ip`), or 127.0.0.1. */
export function primaryAddress(n: NodeSpec): Ipv4Addr {
  return n.interfaces.filter((i) => !i.loopback).flatMap((i) => i.addresses)[0]?.address ?? 0x7f000001;
}

/**
 * The first address the simulated node has on a non-loopback interface: addresses, then alias
 * addresses, interface by interface, as lib/lab/lab.ts's buildNetwork puts them on the node.
 */
function simulatedPrimaryAddress(n: NodeSpec): Ipv4Addr {
  return n.interfaces.filter((i) => !i.loopback).flatMap((i) => [...i.addresses.map((a) => a.address), ...i.aliases.map((a) => a.address)])[0] ?? 0x7f000001;
}

/**
 * The zones make_config builds on this node (and the files it writes), or none when its script does
 * not run it. `iAmIp`: the server's own address, by default `primaryAddress(n)`.
 */
export function makeConfigOnNode(_spec: LabSpec, n: NodeSpec, iAmIp: Ipv4Addr = primaryAddress(n)): MakeConfigResult {
  const step = zonesStep(n);
  if (step === undefined) return { zones: [], files: new Map() };
  const text = nodeFileText(n, step.input)?.text ?? null;
  if (text === null) throw new Error(`${step.source.file}:${step.source.line}: ${step.script} reads ${step.input}, which is not on ${n.name} (bind it in the topology)`);
  return makeConfigFrom(n, step.input, text, iAmIp);
}

/** make_config run on the node's input file (`input`: its path on the device, `text`: its content). */
function makeConfigFrom(n: NodeSpec, input: string, text: string, iAmIp: Ipv4Addr): MakeConfigResult {
  const entries = parseDnsInputFile(text, input);
  const domain = n.domain ?? 'home';
  const iAm = n.hostname ?? n.name;
  return makeConfig(entries, { iAm, domain, iAmLong: `${iAm}.${domain}`, iAmIp });
}

const NAMED_OPTIONS_PATH = '/etc/bind/named.conf.options';

/**
 * The node's /etc/bind/named.conf.options as named reads it: the setup script's or bound file, else
 * Debian's, with the write-up's §3.1 fix when `allowRecursion` or the lab option `allow_recursion`.
 */
export function namedOptionsText(spec: LabSpec, n: NodeSpec, allowRecursion = false): string {
  const text = nodeFileText(n, NAMED_OPTIONS_PATH)?.text ?? DEBIAN_NAMED_CONF_OPTIONS;
  // The §3.1 fix is a hand edit in the write-up: the lab option `allow_recursion`.
  return allowRecursion || spec.options['allow_recursion'] === true ? withAllowRecursion(text) : text;
}

/**
 * named's options with the §3.1 fix when `allowRecursion` asks for it and the lab option did not
 * already apply it (`DnsAttachOptions.allowRecursion`, `BindWriteOptions.allowRecursion`).
 */
export function namedOptionsFor(named: NamedSpec, allowRecursion: boolean): NamedOptionsSpec {
  if (!allowRecursion || named.namedOptions.allowRecursion) return named.namedOptions;
  const text = withAllowRecursion(named.namedOptions.text);
  return { text, ...parseNamedOptions(text, NAMED_OPTIONS_PATH), allowRecursion: true };
}

/** The lab option that replays the write-up's provisioning order before the §4.3.4 fix. */
export const BIND_BEFORE_LO0_OPTION = 'bind_before_lo0';

const startsNamed = (s: BootStep): s is NamedStartStep =>
  (s.kind === 'packages-installed' && s.startsServices.includes('bind9')) || (s.kind === 'service' && s.service === 'bind9' && (s.action === 'start' || s.action === 'restart'));

/**
 * Which addresses named misses at boot. BIND binds one socket per address that exists when it
 * starts (and at each rescan); an address the script adds after named's last (re)start is not
 * listened on until a rescan or a restart (lib/net/dns-server.ts says when, per BIND profile).
 *
 * With the lab option `bind_before_lo0`, every bind9 start/restart the script runs after the first
 * alias address (`ifconfig lo:0 …`) is moved to just before it: "First, bind is started, and after
 * that the lo:0 is created" (§4.3.4).
 * NOTE: the write-up does not show that earlier script; this reordering is our model of it.
 */
export function namedBootPlan(spec: LabSpec, n: NodeSpec): NamedBootPlan {
  return bootPlanOf(n, spec.options);
}

function bootPlanOf(n: NodeSpec, options: Readonly<Record<string, boolean>>): NamedBootPlan {
  let steps = n.bootSteps;
  let reordered = false;
  if (options[BIND_BEFORE_LO0_OPTION] === true) {
    const first = steps.findIndex((s) => s.kind === 'address-added' && s.label !== null);
    if (first >= 0) {
      const moved: BootStep[] = steps.slice(first).filter((s) => s.kind === 'service' && startsNamed(s));
      if (moved.length > 0) {
        reordered = true;
        steps = [...steps.slice(0, first), ...moved, ...steps.slice(first).filter((s) => !moved.includes(s))];
      }
    }
  }
  const starts = steps.filter(startsNamed);
  const lastStart = starts[starts.length - 1] ?? null;
  const at = lastStart === null ? -1 : steps.indexOf(lastStart);
  const lateAddresses = lastStart === null ? [] : steps.slice(at + 1).filter((s): s is AddressStep => s.kind === 'address-added');
  // Debian's /etc/default/bind9 says OPTIONS="-u bind"; the do_anycast block's `ed` deletes it (§4.2).
  // It takes effect at the next (re)start only.
  const unbound = steps.slice(0, Math.max(at, 0)).some((s) => s.kind === 'file-edited' && s.path === '/etc/default/bind9' && s.deletesLinesMatching.some((p) => p.includes('-u bind')));
  return { steps, reordered, starts, lastStart, lateAddresses, runAsUser: !unbound };
}

/** A DNS config error (line of the text on the device) as a problem at the lab file and line it came from. */
function atLabLine(e: DnsConfigError, file: NodeFileText | null, fallback: SourceRef, line = e.line): LabFileProblem {
  const at = file?.sources[line - 1] ?? file?.sources[0] ?? fallback;
  return { file: at.file, line: at.line, column: null, message: e.detail };
}

/** named.conf.options as named reads it, parsed; errors name the lab file and line. */
function namedOptionsOf(n: NodeSpec, options: Readonly<Record<string, boolean>>, problems: LabFileProblem[]): NamedOptionsSpec | null {
  const file = nodeFileText(n, NAMED_OPTIONS_PATH);
  const written = file?.text ?? DEBIAN_NAMED_CONF_OPTIONS;
  const allowRecursion = options['allow_recursion'] === true;
  const close = written.lastIndexOf('};');
  if (allowRecursion && close < 0) {
    const at = file?.sources[0] ?? n.source;
    problems.push({ file: at.file, line: null, column: null, message: `${NAMED_OPTIONS_PATH} has no closing "};" to add the lab option allow_recursion's allow-recursion line before` });
    return null;
  }
  const text = allowRecursion ? withAllowRecursion(written) : written;
  try {
    return { text, ...parseNamedOptions(text, NAMED_OPTIONS_PATH), allowRecursion };
  } catch (e) {
    if (!(e instanceof DnsConfigError)) throw e;
    // The fix adds one line where the last "};" was: lines after it are one further down.
    const fixLine = written.slice(0, close).split('\n').length;
    problems.push(atLabLine(e, file, n.source, allowRecursion && e.line > fixLine ? e.line - 1 : e.line));
    return null;
  }
}

/** The zones make_config builds on a server, from its input file; errors name the lab file and line. */
function zonesOf(n: NodeSpec, problems: LabFileProblem[]): Pick<NamedSpec, 'zones' | 'files'> | null {
  const step = zonesStep(n);
  if (step === undefined) return { zones: [], files: [] };
  const input = nodeFileText(n, step.input);
  if (input === null) {
    problems.push({ file: step.source.file, line: step.source.line, column: null, message: `${step.script} reads ${step.input}, which is not on ${n.name} (bind it in the topology)` });
    return null;
  }
  try {
    // make_config's $i_am_ip: the address the simulated node has first (lib/lab/lab.ts buildNetwork).
    const made = makeConfigFrom(n, step.input, input.text, simulatedPrimaryAddress(n));
    return { zones: made.zones.map((z) => ({ origin: z.origin, records: [...z.records] })), files: [...made.files].map(([path, text]) => ({ path, text })) };
  } catch (e) {
    if (!(e instanceof DnsConfigError)) throw e;
    problems.push(atLabLine(e, input, step.source));
    return null;
  }
}

/**
 * A Linux node's DNS, read once at load from its files after the setup script: resolv.conf, hosts,
 * and on a server (its setup installs bind9) make_config's zones, named.conf.options with the lab
 * option `allow_recursion` applied, and named's boot plan (`bind_before_lo0`). Throws a LabFileError
 * naming the lab file and line of every problem (a heredoc's line in the setup script, or the line
 * of a bound file such as anycast/xenial2.dns-input-file:4), not the path on the device.
 */
export function resolveNodeDns(n: NodeSpec, options: Readonly<Record<string, boolean>>): NodeDnsSpec {
  const resolvText = nodeFileText(n, '/etc/resolv.conf')?.text ?? null;
  let resolvConf: NodeDnsSpec['resolvConf'] = null;
  if (resolvText !== null) {
    const c = parseResolvConf(resolvText);
    resolvConf = { nameservers: c.nameservers.length > 0 ? c.nameservers : [LOOPBACK_NAMESERVER], search: c.search, timeout: c.timeout, attempts: c.attempts, rotate: c.rotate, ndots: c.ndots };
  }
  const hostsText = nodeFileText(n, '/etc/hosts')?.text ?? null;
  const hosts = hostsText === null ? [] : parseHosts(hostsText);
  if (!installsBind(n)) return { resolvConf, hosts, named: null };
  const problems: LabFileProblem[] = [];
  const made = zonesOf(n, problems);
  const namedOptions = namedOptionsOf(n, options, problems);
  if (made === null || namedOptions === null) throw new LabFileError(problems);
  return { resolvConf, hosts, named: { ...made, namedOptions, bootPlan: bootPlanOf(n, options) } };
}

/**
 * What named runs with on a server: `NodeSpec.dns` as loaded, or for a spec built in code without
 * it, resolved now from the spec's own text. Throws when the node runs no named.
 */
export function namedSpecOf(spec: LabSpec, n: NodeSpec): NamedSpec {
  const named = n.dns !== null ? n.dns.named : n.os === 'linux' && n.kind !== 'bridge' ? resolveNodeDns(n, spec.options).named : null;
  if (named === null) throw new Error(`${n.name} runs no named (its setup installs no bind9)`);
  return named;
}

/** A server's zones as lib/proto/dns's Zone values. */
export function zonesOfNamed(named: NamedSpec): Zone[] {
  return named.zones.map((z) => new Zone(z.origin, z.records));
}

/**
 * Which server's zones hold which address for `name` (searched as written and with each search
 * domain of the server's own resolv.conf): address → server. Each server's zone has its own `test`,
 * so an answer tells which server gave it (lib/measure/probes.ts serversByAnswer, on a running lab).
 */
export function serversByZoneAnswer(spec: LabSpec, name: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of spec.nodes) {
    const named = n.os === 'linux' && n.kind !== 'bridge' ? (n.dns?.named ?? null) : null;
    if (named === null) continue;
    const domains = ['', ...(n.dns?.resolvConf?.search ?? [])];
    for (const zone of zonesOfNamed(named)) {
      for (const d of domains) {
        const found = zone.lookup(d === '' ? name : `${name}.${d}`, 'A');
        if (found.kind !== 'answer') continue;
        for (const r of found.records) if (r.type === 'A' && typeof r.data === 'string') out[r.data] = n.name;
      }
    }
  }
  return out;
}
