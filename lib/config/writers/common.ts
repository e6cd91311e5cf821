/**
 * What the config writers share: the node they write for, Linux interface names for IOS ones, and
 * the findings that say what does not translate.
 */
import { isLinuxInterfaceName } from '../common';
import { US_PER_SECOND, type Duration } from '../../sim/time';
import type { ConfigFinding, InterfaceSpec, LabSpec, NodeSpec, SourceRef } from '../spec';

/** A writer was asked for something it cannot write: the message names the option or node. */
export class WriterError extends Error {
  override readonly name = 'WriterError';
}

/** A text file a writer produced, named relative to the folder it is written into. */
export interface WrittenFile {
  name: string;
  content: string;
}

/**
 * How a node's interface is named on the target: a function of (node, interface), or a map keyed
 * `node:interface` (e.g. `{ 'r1:Ethernet0/0': 'r1-e0' }`); names it does not give get
 * `linuxInterfaceName`.
 */
export type InterfaceNaming = ((node: string, iface: string) => string) | Readonly<Record<string, string>>;

/** IOS interface types as short Linux-style prefixes; others keep their first three letters. */
const IOS_TYPE_PREFIX: Record<string, string> = {
  ethernet: 'eth',
  fastethernet: 'fa',
  gigabitethernet: 'gi',
  tengigabitethernet: 'te',
  serial: 'se',
  loopback: 'loop',
};

/**
 * A Linux interface name for a device's own name: Linux names stay as they are, IOS ones are
 * shortened (`Ethernet0/0` → `eth0-0`, `GigabitEthernet0/1.10` → `gi0-1.10`), since Linux names
 * have at most 15 characters and no `/`.
 */
export function linuxInterfaceName(name: string): string {
  if (isLinuxInterfaceName(name)) return name;
  return name.replace(/^[A-Za-z-]+/, (t) => IOS_TYPE_PREFIX[t.toLowerCase()] ?? t.slice(0, 3).toLowerCase()).replace(/\//g, '-');
}

/** The naming function for one node, checking that every name it gives is a Linux interface name. */
export function interfaceNamer(node: string, naming: InterfaceNaming | undefined, option = 'interfaceNames'): (iface: string) => string {
  const pick = (iface: string): string => {
    if (naming === undefined) return linuxInterfaceName(iface);
    if (typeof naming === 'function') return naming(node, iface);
    return naming[`${node}:${iface}`] ?? linuxInterfaceName(iface);
  };
  return (iface) => {
    const name = pick(iface);
    if (!isLinuxInterfaceName(name) || name.includes(':')) {
      throw new WriterError(`${option}: ${node}:${iface} is named "${name}"; expected a Linux interface name (1–15 letters, digits, ".", "-", "_")`);
    }
    return name;
  };
}

/** The node named so, or a WriterError listing the nodes that would do. */
export function nodeOf(spec: LabSpec, name: string, what: string, fits: (n: NodeSpec) => boolean): NodeSpec {
  const n = spec.nodes.find((x) => x.name === name);
  if (n !== undefined && fits(n)) return n;
  const candidates = spec.nodes.filter(fits).map((x) => x.name);
  const why = n === undefined ? `lab ${spec.name} has no node "${name}"` : `${name} is not ${what}`;
  throw new WriterError(`${why} (${what}: ${candidates.length === 0 ? 'none' : candidates.join(', ')})`);
}

/** A finding that something in the lab does not translate to the target, pointing at its source. */
export function doesNotTranslate(source: SourceRef, message: string): ConfigFinding {
  return { severity: 'unsupported', message, source };
}

/** A finding that something is written differently on the target but means the same. */
export function translatedAs(source: SourceRef, message: string): ConfigFinding {
  return { severity: 'note', message, source };
}

/** A duration in whole seconds, or null when it is not a whole number of seconds. */
export function wholeSeconds(d: Duration): number | null {
  return d % US_PER_SECOND === 0 ? d / US_PER_SECOND : null;
}

/** The lab file a node's configuration comes from (its IOS startup-config or setup script), for file headers. */
export function configSourceOf(n: NodeSpec): string {
  return n.files.find((f) => f.devicePath === 'startup-config')?.labFile ?? n.source.file;
}

/** An interface's addresses without the 127.0.0.1/8 every Linux kernel gives lo: the ones a config must set. */
export function configuredAddresses(i: InterfaceSpec): InterfaceSpec['addresses'] {
  return i.addresses.filter((a) => !(i.loopback && a.address === 0x7f000001));
}
