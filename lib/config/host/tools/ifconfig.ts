/**
 * net-tools `ifconfig`: `ifconfig <interface> [inet] <address>[/<length>] [netmask <mask>] [broadcast
 * <address>] [up|down]`, and `ifconfig <interface> up|down`. Without arguments it only prints.
 */
import { classfulPrefixLength, readCidr, readIpv4 } from '../../addr';
import { addAddress, checkIfaceName, readAddressArg, readMaskArg, setLink } from '../addressing';
import type { CommandRun } from '../command';
import type { CommandStatus } from '../state';

export function ifconfig(run: CommandRun): CommandStatus {
  const rest = run.args;
  const got = run.got;
  if (rest.length === 0 || (rest.length === 1 && rest[0]!.startsWith('-'))) return 'harmless';
  const name = rest[0]!;
  if (!checkIfaceName(run, name)) return 'modelled';
  if (rest.length === 1) return 'harmless';
  if (rest.length === 2 && (rest[1] === 'up' || rest[1] === 'down')) {
    if (run.apply) setLink(run.state, name, rest[1] === 'up', run.source);
    return 'modelled';
  }
  let address: number | null = null;
  let prefixLength: number | null = null;
  let up = true;
  let i = 1;
  if (rest[i] === 'inet') i++;
  const addrText = rest[i];
  if (addrText === undefined) {
    run.problem(`expected "ifconfig <interface> <address> netmask <netmask> [up]", got ${got}`);
    return 'modelled';
  }
  if (addrText.includes('/')) {
    const cidr = readCidr(addrText);
    if (cidr === null) {
      run.problem(`expected an IPv4 address such as 10.128.5.2 or 10.128.5.2/24, got "${addrText}" in ${got}`);
      return 'modelled';
    }
    address = cidr.address;
    prefixLength = cidr.prefixLength;
  } else {
    address = readAddressArg(run, addrText);
    if (address === null) return 'modelled';
  }
  i++;
  let ok = true;
  while (i < rest.length) {
    const opt = rest[i]!;
    if (opt === 'netmask') {
      const len = readMaskArg(run, rest[i + 1]);
      if (len === null) ok = false;
      else prefixLength = len;
      i += 2;
    } else if (opt === 'broadcast') {
      if (rest[i + 1] === undefined || readIpv4(rest[i + 1]!) === null) {
        run.problem(`expected an address after "broadcast" in ${got}`);
        ok = false;
      }
      i += 2;
    } else if (opt === 'up' || opt === 'down') {
      up = opt === 'up';
      i++;
    } else if (opt === 'mtu' || opt === 'metric' || opt === 'txqueuelen') {
      run.finding('ignored', `${got}: "${opt}" is not modelled`);
      i += 2;
    } else {
      run.finding('unsupported', `${got}: "${opt}" is not modelled`);
      ok = false;
      break;
    }
  }
  if (!ok) return 'modelled';
  if (prefixLength === null) {
    // NOTE: like net-tools, an address without a netmask gets its class's mask.
    prefixLength = classfulPrefixLength(address) ?? 32;
    run.finding('note', `${got}: no netmask given; ifconfig uses the classful mask /${prefixLength}`);
  }
  if (prefixLength === 0) {
    run.problem(`${got}: a /0 netmask is not an interface address`);
    return 'modelled';
  }
  if (run.apply) addAddress(run.state, name, address, prefixLength, null, run.source, up);
  return 'modelled';
}
