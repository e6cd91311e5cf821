/**
 * BIND 9 configuration for a lab's DNS servers: one `named.conf` per server, self-contained (no
 * /etc/bind includes), and the zone files of the zones the simulator serves on it
 * (`NodeSpec.dns`: make_config's zones from the node's dns-input-file, read at load). Its options are the
 * node's named.conf.options as the simulator reads them (listen-on, recursion, allow-recursion,
 * interface scanning), and every file named writes at run time is put under the caller's folder, so
 * several named can run side by side (BIND 9.18; checked with named-checkconf and named-checkzone).
 */
import { isAbsolute, join } from 'node:path';
import { formatPrefix } from '../addr';
import { zoneFileName, zoneFileText } from '../dns';
import { installsBind, namedOptionsFor, namedSpecOf } from '../node-dns';
import type { AddressMatch } from '../../proto/dns/server';
import { toSeconds } from '../../sim/time';
import type { ConfigFinding, LabSpec, NodeSpec } from '../spec';
import { configSourceOf, doesNotTranslate, nodeOf, WriterError, type WrittenFile } from './common';

export interface BindWriteOptions {
  /**
   * The absolute folder named works in (`directory`): the zone files go there (the caller writes
   * `files` into it) and, unless given below, the pid file, lock file, session key and managed keys.
   */
  dir: string;
  /** @defaultValue `<dir>/named.pid` */
  pidFile?: string;
  /** BIND 9.18's lock file (default /run/named/named.lock, which a second named would find taken). @defaultValue `<dir>/named.lock` */
  lockFile?: string;
  /** @defaultValue `<dir>/session.key` */
  sessionKeyFile?: string;
  /** Where named keeps RFC 5011 trust-anchor state (managed-keys.bind). @defaultValue `<dir>` */
  managedKeysDirectory?: string;
  /** UDP/TCP port to listen on. @defaultValue 53 */
  port?: number;
  /** The §3.1 fix regardless of the lab option `allow_recursion` (as `DnsAttachOptions.allowRecursion`). */
  allowRecursion?: boolean;
}

export interface BindConfigFiles {
  /** named.conf: run `named -c <dir>/named.conf` once `files` are in `dir`. */
  namedConf: string;
  /** Zone files, named relative to `dir`. */
  files: WrittenFile[];
  /** What of the node's named configuration is not carried over. */
  findings: ConfigFinding[];
}

/** The nodes that run named (their setup installs bind9): the ones `writeBind` writes for. */
export function dnsServers(spec: LabSpec): NodeSpec[] {
  return spec.nodes.filter((n) => n.os === 'linux' && n.kind !== 'bridge' && installsBind(n));
}

/** named.conf and zone files for one DNS server of the lab. */
export function writeBind(spec: LabSpec, nodeName: string, opts: BindWriteOptions): BindConfigFiles {
  const n = nodeOf(spec, nodeName, 'a DNS server', (x) => x.os === 'linux' && x.kind !== 'bridge' && installsBind(x));
  for (const [option, path] of Object.entries({ dir: opts.dir, pidFile: opts.pidFile, lockFile: opts.lockFile, sessionKeyFile: opts.sessionKeyFile, managedKeysDirectory: opts.managedKeysDirectory })) {
    if (path !== undefined && (!isAbsolute(path) || path.includes('"'))) throw new WriterError(`${option}: expected an absolute path without quotes, got "${path}"`);
  }
  const port = opts.port ?? 53;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new WriterError(`port: expected 1–65535, got ${port}`);
  const optionsFile = '/etc/bind/named.conf.options';
  const named = namedSpecOf(spec, n);
  const { options, ignored } = namedOptionsFor(named, opts.allowRecursion === true);
  const startup = configSourceOf(n);
  const findings: ConfigFinding[] = [];
  // `directory` is the caller's; listen-on-v6 is always written as none (below).
  const notCarried = ignored.filter((k) => k !== 'directory' && k !== 'listen-on-v6');
  if (notCarried.length > 0) findings.push(doesNotTranslate(n.source, `${optionsFile}: ${notCarried.join(', ')} not written (the simulator does not model them; BIND's defaults apply)`));
  if (ignored.includes('listen-on-v6')) findings.push(doesNotTranslate(n.source, `${optionsFile}: listen-on-v6 written as { none; }: the lab is IPv4 only`));

  const files = named.zones.map((z) => ({ name: zoneFileName(z.origin), content: zoneFileText(z) }));
  const dir = opts.dir.replace(/\/+$/, '') || '/';
  const lines = [
    `// named.conf for ${n.name} of lab ${spec.name}, written by anycast-lab from ${startup}`,
    'options {',
    `\tdirectory "${dir}";`,
    `\tpid-file "${opts.pidFile ?? join(dir, 'named.pid')}";`,
    `\tlock-file "${opts.lockFile ?? join(dir, 'named.lock')}";`,
    `\tsession-keyfile "${opts.sessionKeyFile ?? join(dir, 'session.key')}";`,
    `\tmanaged-keys-directory "${opts.managedKeysDirectory ?? dir}";`,
    `\tlisten-on${port === 53 ? '' : ` port ${port}`} { ${matchList(options.listenOn ?? [{ negated: false, kind: 'any' }])} };`,
    // NOTE: the lab is IPv4 only; named's default listen-on-v6 { any; } would also take [::]:53.
    '\tlisten-on-v6 { none; };',
    `\trecursion ${options.recursion ? 'yes' : 'no'};`,
  ];
  if (options.allowRecursion !== null) lines.push(`\tallow-recursion { ${matchList(options.allowRecursion)} };`);
  if (options.interfaceInterval !== null) lines.push(`\tinterface-interval ${toSeconds(options.interfaceInterval) / 60};`);
  if (options.automaticInterfaceScan !== null) lines.push(`\tautomatic-interface-scan ${options.automaticInterfaceScan ? 'yes' : 'no'};`);
  // NOTE: no rndc channel (Debian's named has one on 127.0.0.1#953): each named is stopped by its pid,
  // and a second named beside it would find that port taken.
  lines.push('};', '', 'controls { };');
  for (const z of named.zones) lines.push('', `zone "${z.origin}" {`, '\ttype master;', `\tfile "${zoneFileName(z.origin)}";`, '};');
  return { namedConf: lines.join('\n') + '\n', files, findings };
}

function matchList(list: readonly AddressMatch[]): string {
  return list.map((m) => `${m.negated ? '!' : ''}${m.kind === 'prefix' ? formatPrefix(m.prefix, m.prefixLength) : m.kind};`).join(' ');
}
