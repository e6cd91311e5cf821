/**
 * Small pieces shared by the config parsers: keyword matching with abbreviations, durations, the
 * empty RIP configuration, and interface bookkeeping.
 */
import { parseDuration, seconds, type Duration } from '../sim/time';
import type { InterfaceSpec, RipConfigSpec, RipFlavour, RipTimersSpec, SourceRef } from './spec';

/**
 * Whether `word` is `keyword` or an abbreviation of it at least `min` characters long, as IOS and
 * FRR's CLI accept (`conf` for `configure`, `shut` for `shutdown`). Case-insensitive.
 */
export function kw(word: string | undefined, keyword: string, min = keyword.length): boolean {
  if (word === undefined) return false;
  const w = word.toLowerCase();
  return w.length >= min && w.length <= keyword.length && keyword.startsWith(w);
}

/** A non-negative decimal integer within [min, max], or null. */
export function readInt(text: string | undefined, min: number, max: number): number | null {
  if (text === undefined || !/^\d{1,10}$/.test(text)) return null;
  const n = Number(text);
  return n >= min && n <= max ? n : null;
}

export type DurationRange = { min: Duration; max: Duration };

/**
 * `2ms` → {2ms, 2ms}; `2ms..6ms` → {2ms, 6ms}. Units as in lib/sim/time (`300us`, `0.5ms`, `2s`).
 * Returns an error message in the user's terms when the text is not a duration or a range.
 */
export function readDurationRange(text: string): { ok: true; value: DurationRange } | { ok: false; error: string } {
  const parts = text.split('..');
  if (parts.length > 2) return { ok: false, error: `expected a duration such as 2ms or a range such as 2ms..6ms, got "${text}"` };
  const values: Duration[] = [];
  for (const part of parts) {
    const d = parseDuration(part);
    if (!d.ok) return { ok: false, error: `expected a duration such as 2ms or a range such as 2ms..6ms, got "${text}"` };
    values.push(d.value);
  }
  const min = values[0]!;
  const max = values[values.length - 1]!;
  if (max < min) return { ok: false, error: `a range must go from the smaller to the larger duration, got "${text}"` };
  return { ok: true, value: { min, max } };
}

export function readDuration(text: string): { ok: true; value: Duration } | { ok: false; error: string } {
  const d = parseDuration(text);
  if (!d.ok) return { ok: false, error: `expected a duration such as 0.5ms, 300us or 2s, got "${text}"` };
  return d;
}

export function emptyRip(flavour: RipFlavour, source: SourceRef): RipConfigSpec {
  return {
    flavour,
    source,
    version: null,
    networks: [],
    neighbors: [],
    passiveInterfaces: [],
    passiveDefault: null,
    nonPassiveInterfaces: [],
    redistribute: [],
    defaultMetric: null,
    defaultInformationOriginate: null,
    autoSummary: null,
    allowEcmp: null,
    timers: null,
    interfaces: [],
  };
}

export function newInterface(name: string, source: SourceRef | null, loopback: boolean): InterfaceSpec {
  return { name, mac: null, addresses: [], up: loopback, loopback, aliases: [], source };
}

/** Finds or creates an interface in a list (keeps first-mention order). */
export function interfaceIn(list: InterfaceSpec[], name: string, source: SourceRef | null, loopback: boolean): InterfaceSpec {
  let found = list.find((i) => i.name === name);
  if (found === undefined) {
    found = newInterface(name, source, loopback);
    list.push(found);
  }
  return found;
}

/** Linux: `lo` and `lo:0` are loopback. */
export function isLinuxLoopback(name: string): boolean {
  return name === 'lo' || name.startsWith('lo:');
}

/** Linux interface names: up to 15 characters, no `/`, no whitespace; an alias adds `:label`. */
export function isLinuxInterfaceName(name: string): boolean {
  return /^[A-Za-z0-9_.-]{1,15}(:[A-Za-z0-9_-]{1,15})?$/.test(name);
}

/**
 * The arguments of `timers basic` (seconds) in the dialect's own terms, or what was expected. IOS:
 * `<update> <invalid> <holddown> <flush>`, update at least 1. Quagga/FRR: `<update> <timeout>
 * <garbage>`, update 5–2147483647 (FRR's yang range).
 */
export function readTimersBasic(flavour: 'ios' | 'frr', args: readonly string[], source: SourceRef): RipTimersSpec | { error: string } {
  if (flavour === 'ios') {
    const n = args.map((x) => readInt(x, 0, 4294967295));
    if (n.length !== 4 || n.some((x) => x === null) || n[0] === 0) {
      return { error: 'expected "timers basic <update> <invalid> <holddown> <flush>" in seconds, e.g. "timers basic 30 180 180 240"' };
    }
    return { flavour: 'ios', update: seconds(n[0]!), invalid: seconds(n[1]!), holddown: seconds(n[2]!), flush: seconds(n[3]!), source };
  }
  // ripd/rip_cli.c (8.4 and 10.x): "timers basic (5-2147483647) (5-2147483647) (5-2147483647)".
  const n = args.map((x) => readInt(x, 5, 2147483647));
  if (n.length !== 3 || n.some((x) => x === null)) {
    return { error: 'expected "timers basic <update> <timeout> <garbage>", each 5-2147483647 seconds in every FRR release (ripd/rip_cli.c), e.g. "timers basic 30 180 120"' };
  }
  return { flavour: 'frr', update: seconds(n[0]!), timeout: seconds(n[1]!), garbage: seconds(n[2]!), source };
}
