/**
 * What a LabSpec node's DNS server is built from: its files after the setup script, whether it
 * installs bind9, the zones make_config makes on it and its named.conf.options text. The simulator
 * (lib/lab/dns.ts) and the BIND writer (writers/bind.ts) both read a server through these, so the
 * zones BIND is given are the ones the simulator serves.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Ipv4Addr } from '../wire/types';
import { DEBIAN_NAMED_CONF_OPTIONS, makeConfig, parseDnsInputFile, withAllowRecursion, type MakeConfigResult } from './dns';
import type { LabSpec, NodeSpec } from './spec';

/** The content of a file on the node after its setup script: written files, else bound lab files. */
export function nodeFile(spec: LabSpec, n: NodeSpec, path: string): string | null {
  let text: string | null = null;
  for (const w of n.writtenFiles) {
    if (w.path !== path) continue;
    text = w.mode === 'append' && text !== null ? text + w.content : w.content;
  }
  if (text !== null) return text;
  const bound = n.files.find((f) => f.devicePath === path);
  if (bound === undefined || spec.dir === null) return null;
  const abs = resolve(dirname(spec.dir), bound.labFile);
  return existsSync(abs) ? readFileSync(abs, 'utf8') : null;
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
 * The zones make_config builds on this node (and the files it writes), or none when its script does
 * not run it. `iAmIp`: the server's own address, by default `primaryAddress(n)`.
 */
export function makeConfigOnNode(spec: LabSpec, n: NodeSpec, iAmIp: Ipv4Addr = primaryAddress(n)): MakeConfigResult {
  for (const s of n.bootSteps) {
    if (s.kind !== 'dns-zones-generated') continue;
    const text = nodeFile(spec, n, s.input);
    if (text === null) throw new Error(`${s.source.file}:${s.source.line}: ${s.script} reads ${s.input}, which is not on ${n.name} (bind it in the topology)`);
    const entries = parseDnsInputFile(text, s.input);
    const domain = n.domain ?? 'home';
    const iAm = n.hostname ?? n.name;
    return makeConfig(entries, { iAm, domain, iAmLong: `${iAm}.${domain}`, iAmIp });
  }
  return { zones: [], files: new Map() };
}

/**
 * The node's /etc/bind/named.conf.options as named reads it: the setup script's or bound file, else
 * Debian's, with the write-up's §3.1 fix when `allowRecursion` or the lab option `allow_recursion`.
 */
export function namedOptionsText(spec: LabSpec, n: NodeSpec, allowRecursion = false): string {
  const text = nodeFile(spec, n, '/etc/bind/named.conf.options') ?? DEBIAN_NAMED_CONF_OPTIONS;
  // The §3.1 fix is a hand edit in the write-up: the lab option `allow_recursion`.
  return allowRecursion || spec.options['allow_recursion'] === true ? withAllowRecursion(text) : text;
}
