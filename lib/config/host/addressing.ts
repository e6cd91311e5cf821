/**
 * The device's interfaces and routing table as `ifconfig`, `ip` and `route` change them, and the
 * argument readers those three share (interface names, addresses, netmasks, route destinations).
 */
import { formatIpv4, formatPrefix, inSubnet, networkOf, readCidr, readIpv4, readNetmask } from '../addr';
import { interfaceIn, isLinuxInterfaceName, isLinuxLoopback } from '../common';
import type { SourceRef } from '../spec';
import type { Ipv4Addr } from '../../wire/types';
import type { CommandRun } from './command';
import type { HostScriptState } from './state';

export function checkIfaceName(run: CommandRun, name: string): boolean {
  if (!isLinuxInterfaceName(name)) {
    run.problem(`expected an interface name such as eth1 or lo:0, got "${name}" in ${run.got}`);
    return false;
  }
  return true;
}

/** `ifconfig NAME ADDRESS`: replaces the primary address (or the alias `eth1:0`), and brings the link up. */
export function addAddress(state: HostScriptState, name: string, address: Ipv4Addr, prefixLength: number, label: string | null, src: SourceRef, bringUp: boolean): void {
  const base = name.includes(':') ? name.slice(0, name.indexOf(':')) : name;
  const iface = interfaceIn(state.interfaces, base, src, isLinuxLoopback(base));
  iface.source ??= src;
  const aliasLabel = label ?? (name.includes(':') ? name : null);
  if (aliasLabel !== null) {
    iface.aliases = iface.aliases.filter((a) => a.label !== aliasLabel);
    iface.aliases.push({ label: aliasLabel, address, prefixLength, source: src });
  } else {
    iface.addresses = [{ address, prefixLength, source: src }, ...iface.addresses.slice(1)];
  }
  state.bootSteps.push({ kind: 'address-added', iface: base, label: aliasLabel, address, prefixLength, source: src });
  if (bringUp && !iface.up) {
    iface.up = true;
    state.bootSteps.push({ kind: 'link-up', iface: base, source: src });
  }
}

/** `ip addr add`: adds an address beside those the interface has. */
export function addSecondaryAddress(state: HostScriptState, name: string, address: Ipv4Addr, prefixLength: number, label: string | null, src: SourceRef): void {
  const iface = interfaceIn(state.interfaces, name, src, isLinuxLoopback(name));
  if (label !== null && label !== name) {
    iface.aliases.push({ label, address, prefixLength, source: src });
  } else if (!iface.addresses.some((a) => a.address === address && a.prefixLength === prefixLength)) {
    iface.addresses.push({ address, prefixLength, source: src });
  }
  state.bootSteps.push({ kind: 'address-added', iface: name, label, address, prefixLength, source: src });
}

export function setLink(state: HostScriptState, name: string, up: boolean, src: SourceRef): void {
  const base = name.includes(':') ? name.slice(0, name.indexOf(':')) : name;
  const iface = interfaceIn(state.interfaces, base, src, isLinuxLoopback(base));
  if (iface.up !== up) {
    iface.up = up;
    state.bootSteps.push({ kind: up ? 'link-up' : 'link-down', iface: base, source: src });
  }
}

export function readAddressArg(run: CommandRun, text: string): number | null {
  const a = readIpv4(text);
  if (a === null) run.problem(`expected an IPv4 address such as 10.128.5.2, got "${text}" in ${run.got}`);
  return a;
}

/**
 * A route's destination as `route` and `ip route` take it: `default`, a prefix `a.b.c.d/len`, or a
 * bare address (`length` null: the caller decides, from -host/-net or netmask). Null after an error.
 */
export function readRouteTarget(run: CommandRun, target: string): { prefix: number; length: number | null } | null {
  if (target === 'default') return { prefix: 0, length: 0 };
  if (target.includes('/')) {
    const cidr = readCidr(target);
    if (cidr === null) {
      run.problem(`expected a prefix such as 10.128.0.0/16, got "${target}" in ${run.got}`);
      return null;
    }
    return { prefix: cidr.address, length: cidr.prefixLength };
  }
  const a = readAddressArg(run, target);
  return a === null ? null : { prefix: a, length: null };
}

export function readMaskArg(run: CommandRun, text: string | undefined): number | null {
  if (text === undefined) {
    run.problem(`expected a netmask after "netmask" in ${run.got}`);
    return null;
  }
  const len = readNetmask(text);
  if (len === null) run.problem(`expected a contiguous netmask such as 255.255.255.0, got "${text}" in ${run.got}`);
  return len;
}

/** Connected subnets now: addresses of interfaces that are up, and 127/8. */
function connected(state: HostScriptState, device: string | null): { network: number; prefixLength: number; iface: string }[] {
  const out: { network: number; prefixLength: number; iface: string }[] = [];
  if (device === null || device === 'lo') out.push({ network: 0x7f000000, prefixLength: 8, iface: 'lo' });
  for (const i of state.interfaces) {
    if (!i.up && !i.loopback) continue;
    if (device !== null && i.name !== device) continue;
    for (const a of [...i.addresses, ...i.aliases]) out.push({ network: networkOf(a.address, a.prefixLength), prefixLength: a.prefixLength, iface: i.name });
  }
  return out;
}

/**
 * Adds a static route, as the kernel would accept it: the destination a network address, and a
 * gateway on a subnet connected now (`linuxSays`: the tool's own error when it is not).
 */
export function addRoute(run: CommandRun, prefix: number, prefixLength: number, via: number | null, device: string | null, linuxSays: string): void {
  const got = run.got;
  if (networkOf(prefix, prefixLength) !== prefix) {
    run.problem(`${got}: ${formatIpv4(prefix)} has bits outside the /${prefixLength} netmask; expected the network address ${formatIpv4(networkOf(prefix, prefixLength))}`);
    return;
  }
  if (via === null && device === null) {
    run.problem(`${got}: a route needs a gateway ("gw <address>" / "via <address>") or a device ("dev <interface>")`);
    return;
  }
  if (!run.apply) return;
  const state = run.state;
  if (via !== null) {
    const subnets = connected(state, device);
    if (!subnets.some((s) => inSubnet(via, s.network, s.prefixLength))) {
      const list = connected(state, null)
        .filter((s) => s.iface !== 'lo')
        .map((s) => `${formatPrefix(s.network, s.prefixLength)} on ${s.iface}`);
      run.problem(
        `${got}: the gateway ${formatIpv4(via)} is not on a connected subnet${device === null ? '' : ` of ${device}`} (Linux says "${linuxSays}"); connected now: ${list.length === 0 ? 'none' : list.join(', ')}`,
      );
      return;
    }
  }
  state.staticRoutes.push({ prefix, prefixLength, via, device, source: run.source });
  state.bootSteps.push({ kind: 'route-added', prefix, prefixLength, via, device, source: run.source });
}
