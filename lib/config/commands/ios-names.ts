/** IOS interface names: the forms people type (`e0/0`, `fa1/0`, `lo0`) and the name IOS shows. */
import { kw } from '../common';

const IOS_INTERFACE_TYPES: { full: string; min: number; loopback: boolean }[] = [
  { full: 'Ethernet', min: 1, loopback: false },
  { full: 'FastEthernet', min: 2, loopback: false },
  { full: 'GigabitEthernet', min: 2, loopback: false },
  { full: 'Serial', min: 2, loopback: false },
  { full: 'Loopback', min: 2, loopback: true },
  { full: 'Tunnel', min: 2, loopback: false },
];

/**
 * `e0/0`, `eth0/0`, `Ethernet 0/0`, `fa1/0`, `lo0` → the name IOS shows (`Ethernet0/0`, `FastEthernet1/0`,
 * `Loopback0`), or null when the text is not an interface name we know. Subinterfaces (`e0/0.10`) → null.
 */
export function normalizeIosInterfaceName(text: string): string | null {
  const m = /^([A-Za-z-]+)\s*(\d+(?:\/\d+){0,2})$/.exec(text.trim());
  if (m === null) return null;
  const type = IOS_INTERFACE_TYPES.find((t) => kw(m[1], t.full.toLowerCase(), t.min));
  if (type === undefined) return null;
  if (type.loopback && m[2]!.includes('/')) return null;
  return type.full + m[2]!;
}

export function isIosLoopback(name: string): boolean {
  return name.startsWith('Loopback');
}

/** `Ethernet1/2` → 0x12 (slot × 16 + port), the last byte of a GNS3/dynamips MAC; null for loopbacks. */
export function iosInterfaceMacIndex(name: string): number | null {
  if (isIosLoopback(name)) return null;
  const m = /(\d+)(?:\/(\d+))?(?:\/(\d+))?$/.exec(name);
  if (m === null) return null;
  const nums = [m[1], m[2], m[3]].filter((x): x is string => x !== undefined).map(Number);
  if (nums.length === 1) return nums[0]! & 0xff;
  return ((nums[nums.length - 2]! << 4) + nums[nums.length - 1]!) & 0xff;
}
