/**
 * iproute2 `ip`: `ip addr add <address>/<length> dev <interface> [label <label>]`, `ip link set [dev]
 * <interface> up|down`, `ip route add <prefix> via <gateway> [dev <interface>]`. `show`/`list`/`get`
 * only look. Objects and verbs may be abbreviated as ip allows (`ip a`, `ip r add`).
 */
import { formatPrefix, networkOf, readCidr, readIpv4 } from '../../addr';
import { kw } from '../../common';
import { addRoute, addSecondaryAddress, checkIfaceName, readAddressArg, readRouteTarget, setLink } from '../addressing';
import type { CommandRun } from '../command';
import type { CommandStatus } from '../state';

export function ip(run: CommandRun): CommandStatus {
  const got = run.got;
  let args = run.args;
  while (args[0] !== undefined && args[0].startsWith('-')) {
    if (args[0] === '-6') {
      run.finding('ignored', `${got}: IPv6 is not modelled`);
      return 'harmless';
    }
    args = args[0] === '-f' || args[0] === '-family' ? args.slice(2) : args.slice(1);
  }
  const object = args[0];
  const verb = args[1];
  const looks = verb === undefined || kw(verb, 'show', 1) || kw(verb, 'list', 1) || verb === 'lst' || kw(verb, 'get', 1);
  if (kw(object, 'address', 1) || kw(object, 'addr', 1)) {
    if (looks) return 'harmless';
    if (kw(verb, 'add', 1) || verb === 'replace') return ipAddrAdd(run, args.slice(2));
    return run.unsupported(`${got}: only "ip addr add" is modelled`);
  }
  if (kw(object, 'link', 1)) {
    if (looks) return 'harmless';
    if (kw(verb, 'set', 1)) return ipLinkSet(run, args.slice(2));
    return run.unsupported(`${got}: only "ip link set <interface> up|down" is modelled`);
  }
  if (kw(object, 'route', 1)) {
    if (looks) return 'harmless';
    if (kw(verb, 'add', 1) || verb === 'replace' || verb === 'append') return ipRouteAdd(run, args.slice(2));
    return run.unsupported(`${got}: only "ip route add" is modelled`);
  }
  if (kw(object, 'neighbour', 1) || kw(object, 'neighbor', 1) || kw(object, 'rule', 2) || kw(object, 'maddress', 1)) {
    if (looks) return 'harmless';
  }
  return run.unsupported(`${got} is not modelled by the simulator`);
}

function ipLinkSet(run: CommandRun, args: string[]): CommandStatus {
  let a = args;
  if (a[0] === 'dev') a = a.slice(1);
  const name = a[0];
  if (name === undefined || a.length < 2) {
    run.problem(`expected "ip link set [dev] <interface> up|down", got ${run.got}`);
    return 'modelled';
  }
  if (!checkIfaceName(run, name)) return 'modelled';
  const state = a.slice(1).find((x) => x === 'up' || x === 'down');
  const others = a.slice(1).filter((x) => x !== 'up' && x !== 'down');
  if (others.length > 0) run.finding('unsupported', `${run.got}: "${others.join(' ')}" is not modelled`);
  if (state !== undefined && run.apply) setLink(run.state, name, state === 'up', run.source);
  return state === undefined ? 'unsupported' : 'modelled';
}

function ipAddrAdd(run: CommandRun, a: string[]): CommandStatus {
  const got = run.got;
  const expected = `expected "ip addr add <address>/<length> dev <interface> [label <label>]", got ${got}`;
  const addrText = a[0];
  if (addrText === undefined) {
    run.problem(expected);
    return 'modelled';
  }
  let address: number | null;
  let prefixLength: number;
  if (addrText.includes('/')) {
    const cidr = readCidr(addrText);
    if (cidr === null) {
      run.problem(`expected an address with a prefix length such as 10.128.5.2/24, got "${addrText}" in ${got}`);
      return 'modelled';
    }
    address = cidr.address;
    prefixLength = cidr.prefixLength;
  } else {
    address = readAddressArg(run, addrText);
    if (address === null) return 'modelled';
    prefixLength = 32;
    run.finding('note', `${got}: no prefix length given; ip uses /32`);
  }
  let device: string | null = null;
  let label: string | null = null;
  let i = 1;
  while (i < a.length) {
    const opt = a[i]!;
    const value = a[i + 1];
    if (opt === 'dev' && value !== undefined) device = value;
    else if (opt === 'label' && value !== undefined) label = value;
    else if ((opt === 'brd' || opt === 'broadcast') && value !== undefined) {
      if (value !== '+' && readIpv4(value) === null) {
        run.problem(`expected an address or "+" after "${opt}" in ${got}`);
        return 'modelled';
      }
    } else if (opt === 'scope' && value !== undefined) {
      /* scope host/link/global: not modelled, harmless here */
    } else {
      run.problem(expected);
      return 'modelled';
    }
    i += 2;
  }
  if (device === null) {
    run.problem(expected);
    return 'modelled';
  }
  if (!checkIfaceName(run, device) || (label !== null && !checkIfaceName(run, label))) return 'modelled';
  if (prefixLength === 0) {
    run.problem(`${got}: a /0 prefix is not an interface address`);
    return 'modelled';
  }
  if (run.apply) addSecondaryAddress(run.state, device, address, prefixLength, label, run.source);
  return 'modelled';
}

function ipRouteAdd(run: CommandRun, a: string[]): CommandStatus {
  const got = run.got;
  const expected = `expected "ip route add <prefix>/<length> via <gateway> [dev <interface>]" or "ip route add default via <gateway>", got ${got}`;
  const target = a[0];
  if (target === undefined) {
    run.problem(expected);
    return 'modelled';
  }
  const dest = readRouteTarget(run, target);
  if (dest === null) return 'modelled';
  const prefix = dest.prefix;
  // iproute2: a bare address is a host route.
  const prefixLength = dest.length ?? 32;
  let via: number | null = null;
  let device: string | null = null;
  let i = 1;
  while (i < a.length) {
    const opt = a[i]!;
    const value = a[i + 1];
    if (value === undefined) {
      run.problem(expected);
      return 'modelled';
    }
    if (opt === 'via') {
      via = readAddressArg(run, value);
      if (via === null) return 'modelled';
    } else if (opt === 'dev') {
      if (!checkIfaceName(run, value)) return 'modelled';
      device = value;
    } else if (opt === 'metric' || opt === 'proto' || opt === 'src' || opt === 'scope' || opt === 'table') {
      run.finding(opt === 'table' ? 'unsupported' : 'ignored', `${got}: "${opt} ${value}" is not modelled`);
    } else {
      run.problem(expected);
      return 'modelled';
    }
    i += 2;
  }
  if (networkOf(prefix, prefixLength) !== prefix) {
    run.problem(`${got}: ${target} has host bits set (ip says "Error: Invalid prefix for given prefix length."); expected ${formatPrefix(networkOf(prefix, prefixLength), prefixLength)}`);
    return 'modelled';
  }
  addRoute(run, prefix, prefixLength, via, device, 'Error: Nexthop has invalid gateway.');
  return 'modelled';
}
