/**
 * checkLab: what `anycast-lab check` reports about a loaded lab. It returns every finding the parsers
 * made (topology and each node's config) followed by checks across the whole lab:
 *
 * - `duplicate-address`: one address on two interfaces (an error), except a /32 on loopbacks of
 *   several nodes, which is how anycast is configured (a note);
 * - `unconfigured-interface`: an interface wired to a segment but with no address;
 * - `interface-down`: an interface wired to a segment but administratively down;
 * - `subnet-mismatch`: two interfaces on one segment with no subnet in common;
 * - `gateway-unreachable`: a static route whose gateway is on no connected subnet of its node;
 * - `unwired-interface`: an interface with an address but no cable.
 *
 * With `verbose`, it adds `boot-step` notes (see bootStepFindings): the setup-script lines the
 * simulator records and interprets rather than runs, package installs, perl and editors.
 */
import { formatIpv4, formatPrefix, inSubnet } from './addr';
import type { BootStep, ConfigFinding, InterfaceSpec, LabSpec, NodeSpec, SourceRef } from './spec';

export interface LabFinding {
  /** `error`: the lab will not work as written; `warning`: probably not what was meant; others as in ConfigFinding. */
  severity: ConfigFinding['severity'] | 'error' | 'warning';
  message: string;
  source: SourceRef;
  /** The node the finding is about, or null for the lab as a whole. */
  node: string | null;
  /** Which check produced it (`config` for a parser's own finding). */
  check: 'config' | 'duplicate-address' | 'unconfigured-interface' | 'interface-down' | 'subnet-mismatch' | 'gateway-unreachable' | 'unwired-interface' | 'boot-step';
}

export interface CheckOptions {
  /** Also list the setup-script steps that are recorded, not run (`check --verbose`). */
  verbose?: boolean;
}

interface Owner {
  node: NodeSpec;
  iface: InterfaceSpec;
  label: string | null;
  address: number;
  prefixLength: number;
  source: SourceRef;
}

function addressesOf(node: NodeSpec, iface: InterfaceSpec): Owner[] {
  return [
    ...iface.addresses.map((a) => ({ node, iface, label: null, address: a.address, prefixLength: a.prefixLength, source: a.source })),
    ...iface.aliases.map((a) => ({ node, iface, label: a.label, address: a.address, prefixLength: a.prefixLength, source: a.source })),
  ];
}

const where = (o: Owner): string => `${o.node.name} ${o.label ?? o.iface.name}`;

export function checkLab(spec: LabSpec, options: CheckOptions = {}): LabFinding[] {
  const out: LabFinding[] = [];
  for (const f of spec.findings) out.push({ ...f, node: null, check: 'config' });
  for (const n of spec.nodes) for (const f of n.findings) out.push({ ...f, node: n.name, check: 'config' });

  const nodes = spec.nodes.filter((n) => n.kind !== 'bridge');
  const byName = new Map(nodes.map((n) => [n.name, n]));

  // --- duplicate addresses ----------------------------------------------------------------------
  const owners = new Map<number, Owner[]>();
  for (const n of nodes) {
    for (const i of n.interfaces) {
      for (const o of addressesOf(n, i)) {
        if (o.address >>> 24 === 127) continue;
        const list = owners.get(o.address) ?? [];
        list.push(o);
        owners.set(o.address, list);
      }
    }
  }
  for (const [address, list] of owners) {
    if (list.length < 2) continue;
    const anycast = list.every((o) => o.iface.loopback && o.prefixLength === 32) && new Set(list.map((o) => o.node.name)).size === list.length;
    const names = list.map(where).join(', ');
    out.push({
      severity: anycast ? 'note' : 'error',
      message: anycast
        ? `${formatIpv4(address)}/32 is on the loopbacks of ${names}: an anycast address`
        : `${formatIpv4(address)} is configured more than once: ${list.map((o) => `${where(o)} (${o.source.file}:${o.source.line})`).join(', ')}`,
      source: list[1]!.source,
      node: list[1]!.node.name,
      check: 'duplicate-address',
    });
  }

  // --- segments ---------------------------------------------------------------------------------
  const wired = new Set<string>();
  for (const s of spec.segments) {
    const ends: { node: NodeSpec; iface: InterfaceSpec }[] = [];
    for (const e of s.endpoints) {
      wired.add(`${e.node}:${e.iface}`);
      const node = byName.get(e.node);
      const iface = node?.interfaces.find((i) => i.name === e.iface);
      if (node === undefined || iface === undefined) continue;
      ends.push({ node, iface });
      const what = `${e.node}:${e.iface} is wired to ${s.kind === 'lan' ? 'LAN' : 'link'} ${s.name}`;
      if (iface.addresses.length === 0 && iface.aliases.length === 0) {
        out.push({ severity: 'warning', message: `${what} but has no address`, source: iface.source ?? s.source, node: node.name, check: 'unconfigured-interface' });
      } else if (!iface.up) {
        out.push({
          severity: 'warning',
          message: `${what} but is administratively down${node.os === 'ios' ? ' (no "no shutdown")' : ''}`,
          source: iface.source ?? s.source,
          node: node.name,
          check: 'interface-down',
        });
      }
    }
    for (let a = 0; a < ends.length; a++) {
      for (let b = a + 1; b < ends.length; b++) {
        const A = addressesOf(ends[a]!.node, ends[a]!.iface).filter((o) => o.label === null);
        const B = addressesOf(ends[b]!.node, ends[b]!.iface).filter((o) => o.label === null);
        if (A.length === 0 || B.length === 0) continue;
        const shared = A.some((x) => B.some((y) => inSubnet(y.address, x.address, x.prefixLength) && inSubnet(x.address, y.address, y.prefixLength)));
        if (!shared) {
          const x = A[0]!;
          const y = B[0]!;
          out.push({
            severity: 'warning',
            message: `on ${s.kind === 'lan' ? 'LAN' : 'link'} ${s.name}, ${where(x)} (${formatPrefix(x.address, x.prefixLength)}) and ${where(y)} (${formatPrefix(y.address, y.prefixLength)}) are in different subnets`,
            source: y.source,
            node: y.node.name,
            check: 'subnet-mismatch',
          });
        }
      }
    }
  }

  // --- static routes and unwired interfaces --------------------------------------------------------
  for (const n of nodes) {
    const connected = n.interfaces.filter((i) => i.up || i.loopback).flatMap((i) => addressesOf(n, i));
    for (const r of n.staticRoutes) {
      if (r.via === null) continue;
      const via = r.via;
      const onLink = connected.filter((o) => r.device === null || o.iface.name === r.device).some((o) => inSubnet(via, o.address, o.prefixLength));
      if (!onLink) {
        out.push({
          severity: n.os === 'ios' ? 'warning' : 'error',
          message: `${n.name}: the static route to ${formatPrefix(r.prefix, r.prefixLength)} goes via ${formatIpv4(via)}, which is on no connected subnet${n.os === 'ios' ? ' (IOS will try to reach it through another route)' : ''}`,
          source: r.source,
          node: n.name,
          check: 'gateway-unreachable',
        });
      }
    }
    for (const i of n.interfaces) {
      if (i.loopback || wired.has(`${n.name}:${i.name}`) || (i.addresses.length === 0 && i.aliases.length === 0)) continue;
      out.push({
        severity: 'warning',
        message: `${n.name}:${i.name} has an address but no cable in the topology`,
        source: i.source ?? n.source,
        node: n.name,
        check: 'unwired-interface',
      });
    }
  }
  if (options.verbose === true) out.push(...bootStepFindings(spec));
  return out;
}

/** What the simulator does instead of running a recorded step, or null for a step it does run. */
function insteadOf(step: BootStep): string | null {
  switch (step.kind) {
    case 'packages-installed': {
      const starts = step.startsServices.length === 0 ? '' : `; it starts what the install starts (${step.startsServices.join(', ')})`;
      return `apt-get install ${step.packages.join(' ')}: recorded, not run: no package is installed${starts}`;
    }
    case 'dns-zones-generated':
      return `perl ${step.script} ${step.input}: not run; the simulator builds the zones it writes from ${step.input}`;
    case 'file-edited': {
      const reads = step.deletesLinesMatching.length === 0 ? 'the edit is recorded, not applied' : `the simulator reads only that it deletes the lines matching ${step.deletesLinesMatching.map((d) => `/${d}/`).join(', ')}`;
      return `${step.editor} ${step.path}: not run; ${reads}`;
    }
    default:
      // Everything else is modelled; a `not-modelled` step already has its own finding.
      return null;
  }
}

/**
 * One `boot-step` note per setup-script line the simulator records and interprets rather than
 * runs: package installs (nothing is installed; the services their install scripts start are
 * started), the write-up's perl zone generator (the zones are built by lib/config/dns.ts) and
 * editors (`ed`, `sed -i`: only the deletions the simulator can read count).
 */
export function bootStepFindings(spec: LabSpec): LabFinding[] {
  const out: LabFinding[] = [];
  for (const n of spec.nodes) {
    for (const step of n.bootSteps) {
      const message = insteadOf(step);
      if (message !== null) out.push({ severity: 'note', message, source: step.source, node: n.name, check: 'boot-step' });
    }
  }
  return out;
}
