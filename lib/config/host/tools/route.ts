/**
 * net-tools `route`: `route add -net <network> netmask <mask> gw <gateway> [dev] <interface>`,
 * `route add -host <address> gw <gateway>`, `route add default gw <gateway>`. Without arguments (or
 * with only `-n`) it prints the table.
 */
import { classfulPrefixLength, readIpv4 } from '../../addr';
import { isLinuxInterfaceName, readInt } from '../../common';
import { addRoute, checkIfaceName, readAddressArg, readMaskArg, readRouteTarget } from '../addressing';
import type { CommandRun } from '../command';
import type { CommandStatus } from '../state';

export function route(run: CommandRun): CommandStatus {
  const got = run.got;
  const args = run.args.filter((a) => a !== '-n' && a !== '-A' && a !== 'inet' && a !== '-v');
  if (args.length === 0) return 'harmless';
  const expected = `expected "route add -net <network> netmask <netmask> gw <gateway>", "route add -host <address> gw <gateway>" or "route add default gw <gateway>", got ${got}`;
  if (args[0] === 'del') return run.unsupported(`${got}: deleting routes is not modelled`);
  if (args[0] !== 'add') {
    run.problem(expected);
    return 'modelled';
  }
  let i = 1;
  let type: 'net' | 'host' | null = null;
  if (args[i] === '-net' || args[i] === '-host') {
    type = args[i] === '-net' ? 'net' : 'host';
    i++;
  }
  const target = args[i];
  if (target === undefined) {
    run.problem(expected);
    return 'modelled';
  }
  i++;
  const dest = readRouteTarget(run, target);
  if (dest === null) return 'modelled';
  const prefix = dest.prefix;
  let prefixLength = dest.length;
  if (prefixLength === null) {
    if (type === 'host') prefixLength = 32;
    else if (type === null) {
      run.problem(expected);
      return 'modelled';
    }
  }
  let via: number | null = null;
  let device: string | null = null;
  while (i < args.length) {
    const opt = args[i]!;
    if (opt === 'netmask') {
      const len = readMaskArg(run, args[i + 1]);
      if (len === null) return 'modelled';
      if (type === 'host' || target === 'default') {
        run.problem(`${got}: "netmask" goes with "-net", not with "${type === 'host' ? '-host' : 'default'}"`);
        return 'modelled';
      }
      prefixLength = len;
      i += 2;
    } else if (opt === 'gw' || opt === 'gateway') {
      const g = args[i + 1];
      if (g === undefined) {
        run.problem(expected);
        return 'modelled';
      }
      via = readAddressArg(run, g);
      if (via === null) return 'modelled';
      i += 2;
    } else if (opt === 'dev') {
      const d = args[i + 1];
      if (d === undefined || !checkIfaceName(run, d)) return 'modelled';
      device = d;
      i += 2;
    } else if (opt === 'metric') {
      if (readInt(args[i + 1], 0, 4294967295) === null) {
        run.problem(`expected a number after "metric" in ${got}`);
        return 'modelled';
      }
      run.finding('ignored', `${got}: the route metric is not modelled`);
      i += 2;
    } else if (i === args.length - 1 && isLinuxInterfaceName(opt) && readIpv4(opt) === null) {
      device = opt; // `route add -net … gw … eth1`: a trailing device name
      i++;
    } else {
      return run.unsupported(`${got}: "${opt}" is not modelled`);
    }
  }
  if (prefixLength === null) {
    // NOTE: like net-tools, "-net" without a netmask takes the class's mask.
    prefixLength = classfulPrefixLength(prefix) ?? 32;
    run.finding('note', `${got}: no netmask given; route uses the classful mask /${prefixLength}`);
  }
  addRoute(run, prefix, prefixLength, via, device, 'SIOCADDRT: Network is unreachable');
  return 'modelled';
}
