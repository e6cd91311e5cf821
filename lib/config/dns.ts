/**
 * DNS configuration text: the write-up's `dns-input-file` and what its `make_config.1.perl` makes
 * of it, named.conf `options { … }`, and resolv.conf.
 *
 * make_config.1.perl is not in the write-up; §3.1 shows its head (`$i_am`, `$i_am_domain`,
 * `$i_am_long`, `$i_am_ip`), its input (name + address per line) and its use
 * (`cd /etc/bind; perl /vagrant/make_config.1.perl /vagrant/dns-input-file`), and §3.3–3.4 show
 * what the result answers: `r1` → r1.home 10.128.3.1, authoritative on both servers. What we make
 * (NOTE: a plausible reconstruction, the classic layout of such scripts and of Debian's
 * /etc/bind/named.conf.local):
 * - a forward zone `$i_am_domain` (`home`) in /etc/bind/db.home: SOA (mname `$i_am_long.`, rname
 *   `root.$i_am_long.`, serial 1, refresh 604800, retry 86400, expire 2419200, minimum 86400, as
 *   Debian's db.local), NS `$i_am_long.`, an A record per input line, and an A record for
 *   `$i_am` → `$i_am_ip` when the input does not have one (without it BIND refuses to load a zone
 *   whose in-zone NS has no address: "NS 'xenial1.home' has no address records"; the printed input
 *   file says `xenia11`, an l/1 slip of the PDF or of the file, so xenial1 is not in it);
 * - one reverse zone per /24 (the write-up uses /24 networks, §1) in /etc/bind/db.<a>.<b>.<c>, with
 *   the same SOA/NS and a PTR per input line;
 * - `zone "…" { type master; file "/etc/bind/db.…"; };` for each in /etc/bind/named.conf.local.
 */
import type { Ipv4Addr } from '../wire/types';
import type { DnsRecord } from '../wire/dns';
import { minutes, seconds } from '../sim/time';
import { Zone } from '../proto/dns/zone';
import type { AddressMatch, NamedOptions } from '../proto/dns/server';
import { DEFAULT_NAMED_OPTIONS } from '../proto/dns/server';
import type { ResolvConf } from '../proto/dns/resolver';
import { DEFAULT_RESOLV_CONF } from '../proto/dns/resolver';
import { Problems } from './errors';

function parseIp(text: string): Ipv4Addr | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (m === null) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

function ipText(a: Ipv4Addr): string {
  return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

/** A problem in a DNS config file, with its line. */
export class DnsConfigError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    /** What was expected and what was found, without the place. */
    readonly detail: string,
  ) {
    super(`${file}:${line}: ${detail}`);
    this.name = 'DnsConfigError';
  }
}

export interface DnsInputEntry {
  name: string;
  address: Ipv4Addr;
  line: number;
}

/** `name address` per line; blank lines and `#` comments skipped. */
export function parseDnsInputFile(text: string, file = 'dns-input-file'): DnsInputEntry[] {
  const out: DnsInputEntry[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') return;
    const words = line.split(/\s+/);
    if (words.length !== 2) throw new DnsConfigError(file, i + 1, `expected "<name> <address>", got "${raw.trim()}"`);
    const address = parseIp(words[1]!);
    if (address === null) throw new DnsConfigError(file, i + 1, `"${words[1]}" is not an IPv4 address`);
    if (!/^[A-Za-z0-9]([A-Za-z0-9-]{0,62})$/.test(words[0]!)) throw new DnsConfigError(file, i + 1, `"${words[0]}" is not a host name label`);
    out.push({ name: words[0]!.toLowerCase(), address, line: i + 1 });
  });
  return out;
}

/** The head of make_config.1.perl (§3.1). */
export interface MakeConfigHead {
  iAm: string;
  domain: string;
  iAmLong: string;
  iAmIp: Ipv4Addr;
}

export interface MakeConfigResult {
  zones: Zone[];
  /** Files the script writes, path → text (zone files in BIND master format, named.conf.local). */
  files: Map<string, string>;
}

const SOA_TIMES = { serial: 1, refresh: 604800, retry: 86400, expire: 2419200, minimum: 86400 };
const TTL = 86400;

/** `10.128.3.1` → `3.128.10.in-addr.arpa` (its /24). */
export function reverseZoneOf(a: Ipv4Addr): string {
  return `${(a >>> 8) & 255}.${(a >>> 16) & 255}.${a >>> 24}.in-addr.arpa`;
}

/** What make_config.1.perl plausibly makes of the input (see the file comment). */
export function makeConfig(entries: readonly DnsInputEntry[], head: MakeConfigHead): MakeConfigResult {
  const domain = head.domain.toLowerCase();
  const ns = head.iAmLong.toLowerCase();
  const soa = (origin: string): DnsRecord => ({ name: origin, type: 'SOA', ttl: TTL, class: 'IN', data: { mname: ns, rname: `root.${ns}`, ...SOA_TIMES } });
  const nsRec = (origin: string): DnsRecord => ({ name: origin, type: 'NS', ttl: TTL, class: 'IN', data: ns });
  const all = [...entries];
  if (!all.some((e) => e.name === head.iAm.toLowerCase())) all.push({ name: head.iAm.toLowerCase(), address: head.iAmIp, line: 0 });
  const forward: DnsRecord[] = [soa(domain), nsRec(domain)];
  for (const e of all) forward.push({ name: `${e.name}.${domain}`, type: 'A', ttl: TTL, class: 'IN', data: ipText(e.address) });
  const reverse = new Map<string, DnsRecord[]>();
  for (const e of all) {
    const origin = reverseZoneOf(e.address);
    const list = reverse.get(origin) ?? [soa(origin), nsRec(origin)];
    list.push({ name: `${e.address & 255}.${origin}`, type: 'PTR', ttl: TTL, class: 'IN', data: `${e.name}.${domain}` });
    reverse.set(origin, list);
  }
  const zones = [new Zone(domain, forward), ...[...reverse.entries()].map(([o, r]) => new Zone(o, r))];
  const files = new Map<string, string>();
  const local: string[] = ['// written by make_config.1.perl (reconstructed; see lib/config/dns.ts)'];
  for (const z of zones) {
    const path = `/etc/bind/${zoneFileName(z.origin)}`;
    local.push(`zone "${z.origin}" {`, '\ttype master;', `\tfile "${path}";`, '};', '');
    files.set(path, zoneFileText(z));
  }
  files.set('/etc/bind/named.conf.local', local.join('\n'));
  return { zones, files };
}

/** make_config's file name for a zone: `db.home`, `db.10.128.5` for 5.128.10.in-addr.arpa. */
export function zoneFileName(origin: string): string {
  const reverse = /^(.*)\.in-addr\.arpa$/.exec(origin);
  return `db.${reverse === null ? origin : reverse[1]!.split('.').reverse().join('.')}`;
}

/** A zone in BIND master-file format (what named-compilezone -s relative would print, roughly). */
export function zoneFileText(z: { origin: string; records: readonly DnsRecord[] }): string {
  const rel = (n: string) => (n === z.origin ? '@' : n.endsWith(`.${z.origin}`) ? n.slice(0, -z.origin.length - 1) : `${n}.`);
  const lines = [`$TTL ${TTL}`, `$ORIGIN ${z.origin}.`];
  for (const r of z.records) {
    let data: string;
    if (r.type === 'SOA') {
      const d = r.data;
      data = `${d.mname}. ${d.rname}. ( ${d.serial} ${d.refresh} ${d.retry} ${d.expire} ${d.minimum} )`;
    } else if (r.type === 'A' || r.type === 'NS' || r.type === 'PTR') data = r.type === 'A' ? r.data : `${r.data}.`;
    else continue;
    lines.push(`${rel(r.name).padEnd(10)}\tIN\t${r.type}\t${data}`);
  }
  return lines.join('\n') + '\n';
}

/** Whether a setup-script command is `perl [path/]make_config*.perl <input>`; returns the input path. */
export function makeConfigInput(argv: readonly string[]): string | null {
  if (argv.length !== 3 || !/(^|\/)perl$/.test(argv[0]!)) return null;
  if (!/(^|\/)make_config[^/]*\.perl$/.test(argv[1]!)) return null;
  return argv[2]!;
}

// ---- named.conf ---------------------------------------------------------------------------------

type Tok = { text: string; line: number };

function tokenize(text: string, file: string): Tok[] {
  const out: Tok[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n') {
      line++;
      i++;
    } else if (/\s/.test(c)) i++;
    else if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw new DnsConfigError(file, line, 'unterminated /* comment');
      for (let k = i; k < end; k++) if (text[k] === '\n') line++;
      i = end + 2;
    } else if (c === '{' || c === '}' || c === ';') {
      out.push({ text: c, line });
      i++;
    } else if (c === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0) throw new DnsConfigError(file, line, 'unterminated string');
      out.push({ text: text.slice(i, end + 1), line });
      i = end + 1;
    } else {
      let j = i;
      while (j < text.length && !/[\s{};"]/.test(text[j]!)) j++;
      out.push({ text: text.slice(i, j), line });
      i = j;
    }
  }
  return out;
}

/** A statement: words then an optional `{ … }` block of statements. */
interface Stmt {
  words: Tok[];
  block: Stmt[] | null;
  line: number;
}

function parseStatements(toks: Tok[], file: string): Stmt[] {
  let i = 0;
  const block = (): Stmt[] => {
    const out: Stmt[] = [];
    while (i < toks.length && toks[i]!.text !== '}') {
      const words: Tok[] = [];
      let inner: Stmt[] | null = null;
      const line = toks[i]!.line;
      while (i < toks.length && toks[i]!.text !== ';' && toks[i]!.text !== '}') {
        if (toks[i]!.text === '{') {
          i++;
          inner = block();
          if (toks[i]?.text !== '}') throw new DnsConfigError(file, toks[i - 1]?.line ?? line, 'missing "}"');
          i++;
        } else words.push(toks[i++]!);
      }
      if (toks[i]?.text !== ';') throw new DnsConfigError(file, toks[i]?.line ?? line, `missing ";" after "${words.map((w) => w.text).join(' ')}"`);
      i++;
      out.push({ words, block: inner, line });
    }
    return out;
  };
  const all = block();
  if (i < toks.length) throw new DnsConfigError(file, toks[i]!.line, 'unexpected "}"');
  return all;
}

function parseAddressMatchList(stmts: Stmt[], file: string): AddressMatch[] {
  return stmts.map((s) => {
    let t = s.words.map((w) => w.text).join('');
    let negated = false;
    if (t.startsWith('!')) {
      negated = true;
      t = t.slice(1);
    }
    if (t === 'any' || t === 'none' || t === 'localhost' || t === 'localnets') return { negated, kind: t };
    const m = /^(\d+\.\d+\.\d+\.\d+)(?:\/(\d+))?$/.exec(t);
    const prefix = m === null ? null : parseIp(m[1]!);
    const len = m?.[2] === undefined ? 32 : Number(m[2]);
    if (prefix === null || len > 32) throw new DnsConfigError(file, s.line, `"${t}" is not an address match element (address, prefix, any, none, localhost, localnets)`);
    return { negated, kind: 'prefix', prefix, prefixLength: len };
  });
}

const yesNo = (t: string | undefined, file: string, line: number): boolean => {
  if (t === 'yes' || t === 'true' || t === '1') return true;
  if (t === 'no' || t === 'false' || t === '0') return false;
  throw new DnsConfigError(file, line, `expected yes or no, got "${t ?? ''}"`);
};

/**
 * Reads the `options { … }` block of named.conf text (Debian splits it into
 * /etc/bind/named.conf.options). Understood: listen-on, allow-recursion, recursion,
 * interface-interval, automatic-interface-scan; every other option is accepted and listed in
 * `ignored` (dnssec-validation, directory, listen-on-v6, …).
 */
export function parseNamedOptions(text: string, file = 'named.conf.options'): { options: NamedOptions; ignored: string[] } {
  const stmts = parseStatements(tokenize(text, file), file);
  const options: NamedOptions = { ...DEFAULT_NAMED_OPTIONS };
  const ignored: string[] = [];
  for (const s of stmts) {
    if (s.words[0]?.text !== 'options' || s.block === null) continue;
    for (const o of s.block) {
      const key = o.words[0]?.text ?? '';
      const arg = o.words[1]?.text;
      switch (key) {
        case 'listen-on':
          if (o.block === null) throw new DnsConfigError(file, o.line, 'listen-on needs { address list }');
          options.listenOn = parseAddressMatchList(o.block, file);
          break;
        case 'allow-recursion':
          if (o.block === null) throw new DnsConfigError(file, o.line, 'allow-recursion needs { address list }');
          options.allowRecursion = parseAddressMatchList(o.block, file);
          break;
        case 'recursion':
          options.recursion = yesNo(arg, file, o.line);
          break;
        case 'interface-interval': {
          // ARM: minutes, 0 disables, at most 28 days; 9.18 also takes a duration ("1h").
          const n = Number(arg);
          if (!Number.isInteger(n) || n < 0 || n > 40320) throw new DnsConfigError(file, o.line, `interface-interval: expected minutes 0..40320, got "${arg ?? ''}"`);
          options.interfaceInterval = minutes(n);
          break;
        }
        case 'automatic-interface-scan':
          options.automaticInterfaceScan = yesNo(arg, file, o.line);
          break;
        default:
          ignored.push(key);
      }
    }
  }
  return { options, ignored };
}

/** Debian's /etc/bind/named.conf.options as the bind9 package installs it (xenial, 9.10). */
export const DEBIAN_NAMED_CONF_OPTIONS = `options {
\tdirectory "/var/cache/bind";

\t// If there is a firewall between you and nameservers you want
\t// to talk to, you may need to fix the firewall to allow multiple
\t// ports to talk.  See http://www.kb.cert.org/vuls/id/800113

\t// If your ISP provided one or more IP addresses for stable
\t// nameservers, you probably want to use them as forwarders.
\t// Uncomment the following block, and insert the addresses replacing
\t// the all-0's placeholder.

\t// forwarders {
\t// \t0.0.0.0;
\t// };

\t//========================================================================
\t// If BIND logs error messages about the root key being expired,
\t// you will need to update your keys.  See https://www.isc.org/bind-keys
\t//========================================================================
\tdnssec-validation auto;

\tauth-nxdomain no;    # conform to RFC1035
\tlisten-on-v6 { any; };
};
`;

/** /etc/hosts as glibc reads it: an IPv4 address, then its names; `#` comments, other lines skipped. */
export function parseHosts(text: string): { address: Ipv4Addr; names: string[] }[] {
  const out: { address: Ipv4Addr; names: string[] }[] = [];
  for (const raw of text.split('\n')) {
    const words = raw.replace(/#.*/, '').trim().split(/\s+/);
    const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(words[0] ?? '');
    if (m === null || words.length < 2) continue;
    out.push({ address: ((+m[1]! << 24) | (+m[2]! << 16) | (+m[3]! << 8) | +m[4]!) >>> 0, names: words.slice(1) });
  }
  return out;
}

/** The write-up's §3.1 fix: `allow-recursion {10.128.0.0/16;};` added to the options. */
export function withAllowRecursion(optionsText: string, acl = '10.128.0.0/16'): string {
  const at = optionsText.lastIndexOf('};');
  if (at < 0) throw new Error('named.conf.options has no closing "};"');
  return `${optionsText.slice(0, at)}\tallow-recursion {${acl};};\n${optionsText.slice(at)}`;
}

// ---- resolv.conf --------------------------------------------------------------------------------

/**
 * One word of an `options` line applied to `conf` as res_init.c does (values capped at 30, 5 and 15);
 * returns why the word is not understood, or null. glibc skips what it does not understand.
 */
function applyResolvOption(conf: ResolvConf, word: string): string | null {
  const [k, v] = word.split(':');
  const n = Number(v);
  if (k === 'timeout' || k === 'attempts' || k === 'ndots') {
    const least = k === 'ndots' ? 0 : 1;
    if (v === undefined || !/^\d+$/.test(v) || n < least) return `"${word}": expected ${k}:<n> with a whole number n ≥ ${least}`;
    if (k === 'timeout') conf.timeout = seconds(Math.min(n, 30));
    else if (k === 'attempts') conf.attempts = Math.min(n, 5);
    else conf.ndots = Math.min(n, 15);
    return null;
  }
  if (word === 'rotate') {
    conf.rotate = true;
    return null;
  }
  return `"${word}": not an option the simulator models (timeout:n, attempts:n, ndots:n, rotate)`;
}

/**
 * resolv.conf as glibc's res_init.c reads it: `nameserver` (first MAXNS = 3 kept), `domain` and
 * `search` (the last of them wins), `options timeout:n attempts:n rotate ndots:n` (capped at 30,
 * 5 and 15). Unknown lines are ignored, as glibc does; `problems` lists them (with what is wrong)
 * for callers that want a typo reported rather than ignored (`parseResolvConfStrict`).
 */
export function parseResolvConf(text: string): ResolvConf & { ignoredNameservers: Ipv4Addr[]; problems: { line: number; message: string }[] } {
  const conf: ResolvConf = { ...DEFAULT_RESOLV_CONF, nameservers: [], search: [] };
  const ignoredNameservers: Ipv4Addr[] = [];
  const problems: { line: number; message: string }[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/[#;].*/, '').trim();
    if (line === '') return;
    const problem = (message: string): void => {
      problems.push({ line: i + 1, message });
    };
    const [key, ...args] = line.split(/\s+/);
    if (key === 'nameserver') {
      const a = args[0] === undefined ? null : parseIp(args[0]);
      if (a === null) problem(`nameserver: expected an IPv4 address, got ${args[0] === undefined ? 'nothing' : `"${args[0]}"`}`);
      else if (conf.nameservers.length < 3) conf.nameservers.push(a);
      else ignoredNameservers.push(a);
    } else if (key === 'domain' && args[0] !== undefined) conf.search = [args[0].replace(/\.$/, '')];
    else if (key === 'search' && args.length > 0) conf.search = args.slice(0, 6).map((d) => d.replace(/\.$/, ''));
    else if (key === 'options') {
      for (const o of args) {
        const why = applyResolvOption(conf, o);
        if (why !== null) problem(`options ${why}`);
      }
    } else problem(`"${key}": expected nameserver, domain, search or options`);
  });
  return { ...conf, ignoredNameservers, problems };
}

/**
 * resolv.conf text given through the API (a what-if's override): parsed as glibc does, but what
 * glibc would silently skip is an error naming `file:line`, so a typo cannot pass for a result.
 */
export function parseResolvConfStrict(text: string, file: string): ResolvConf {
  const parsed = parseResolvConf(text);
  const problems = new Problems(file);
  for (const p of parsed.problems) problems.add(p.line, p.message);
  if (parsed.nameservers.length === 0) problems.add(null, 'no nameserver line (glibc would ask 127.0.0.1)');
  problems.throwIfAny();
  return { nameservers: parsed.nameservers, search: parsed.search, timeout: parsed.timeout, attempts: parsed.attempts, rotate: parsed.rotate, ndots: parsed.ndots };
}

/** `conf` with the words of an `options` line applied (`timeout:1 attempts:1 rotate`); errors name `what`. */
export function withResolvOptions(conf: ResolvConf, options: string, what: string): ResolvConf {
  const out = { ...conf };
  const problems = options.trim().split(/\s+/).filter((w) => w !== '').flatMap((w) => {
    const why = applyResolvOption(out, w);
    return why === null ? [] : [why];
  });
  if (problems.length > 0) throw new Error(`${what}: ${problems.join('; ')}`);
  return out;
}

/** glibc's fallback without nameserver lines: the local server (res_init.c, INADDR_LOOPBACK). */
export const LOOPBACK_NAMESERVER: Ipv4Addr = 0x7f000001;

