/**
 * Default MAC addresses, deterministic so that two loads of a lab give the same frames byte for byte.
 *
 * - IOS routers, GNS3/dynamips style: `cc:0N:XX:XX:00:II`, N the router's number (`r3` → 03), XX:XX a
 *   stable hash of the node name, II the port (slot × 16 + port: Ethernet0/1 → 01). The write-up's
 *   capture shows r3's Ethernet0/1 as cc:03:18:19:00:01 (§3.3): the lab file sets that one explicitly.
 * - Linux VMs, VirtualBox style: `08:00:27:xx:xx:xx`, xx a hash of node and interface (the write-up's
 *   xenial1 eth1 is 08:00:27:a9:51:1d, also set explicitly in the lab file).
 */
import { fnv1a } from './addr';
import { iosInterfaceMacIndex } from './ios';
import type { MacAddr } from '../wire/types';
import type { NodeOs } from './spec';

export function defaultIosMac(node: string, iface: string, salt = 0): MacAddr {
  const digits = /(\d+)$/.exec(node);
  const n = digits === null ? fnv1a(node) & 0xff : Number(digits[1]) & 0xff;
  const hash = fnv1a(salt === 0 ? node : `${node}#${salt}`) & 0xffff;
  const index = iosInterfaceMacIndex(iface) ?? fnv1a(iface) & 0xff;
  return 0xcc * 2 ** 40 + n * 2 ** 32 + hash * 2 ** 16 + index;
}

export function defaultLinuxMac(node: string, iface: string, salt = 0): MacAddr {
  const hash = fnv1a(salt === 0 ? `${node}:${iface}` : `${node}:${iface}#${salt}`) & 0xffffff;
  return 0x080027 * 2 ** 24 + hash;
}

/** The default MAC of an interface; `salt` > 0 gives alternatives when a default collides. */
export function defaultMac(os: NodeOs, node: string, iface: string, salt = 0): MacAddr {
  return os === 'ios' ? defaultIosMac(node, iface, salt) : defaultLinuxMac(node, iface, salt);
}
