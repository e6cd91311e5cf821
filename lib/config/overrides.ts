/**
 * Simulator knobs that no lab file sets: a lab run with another RIP profile, another reading of
 * IOS's poison rule, or other timers. Each returns a new LabSpec with `LabSpec.overrides` set; the
 * simulator reads them when it builds the lab's RIP daemons (lib/lab/routing.ts).
 */
import { readTimersBasic } from './common';
import type { IosPoisonReading, LabOverrides, LabSpec, RipTimersSpec } from './spec';
import type { RipProfileName } from '../proto/rip/params';

export type { IosPoisonReading, LabOverrides } from './spec';

/** No overrides: every speaker runs its own dialect's profile with its configuration's timers. */
export const NO_OVERRIDES: LabOverrides = { ripProfile: null, iosPoison: null, timers: null };

function withOverride(spec: LabSpec, change: Partial<LabOverrides>): LabSpec {
  return { ...spec, overrides: { ...(spec.overrides ?? NO_OVERRIDES), ...change } };
}

/** The same lab with every RIP speaker running `profile` (its configuration is still read in its own dialect). */
export function withRipProfile(spec: LabSpec, profile: RipProfileName): LabSpec {
  return withOverride(spec, { ripProfile: profile });
}

/** The same lab with every IOS RIP speaker reading a received poison as `reading`. */
export function withIosPoison(spec: LabSpec, reading: IosPoisonReading): LabSpec {
  return withOverride(spec, { iosPoison: reading });
}

/** Where `withRipTimers` says its timers came from (`show` output and errors cite it). */
const TIMERS_SOURCE = { file: 'withRipTimers', line: 1 };

/**
 * The same lab with `timers basic` on every RIP speaker, as if each configuration had the line.
 * `timers` is either dialect's form (lib/config's `RipTimersSpec`) or the line's arguments as text:
 * four numbers are IOS's `update invalid holddown flush` ("5 15 15 20"), three FRR's `update timeout
 * garbage` ("5 15 10"). Each speaker maps them onto its own profile as it would its own line
 * (`ripConfigFromSpec`), so IOS's hold-down survives on IOS routers and FRR gets a garbage timer.
 * The line is also written into each configuration, so the config writers (writers/frr.ts) and
 * the consoles see it as typed.
 */
export function withRipTimers(spec: LabSpec, timers: RipTimersSpec | string): LabSpec {
  const t = typeof timers === 'string' ? parseRipTimers(timers) : timers;
  const tuned = withOverride(spec, { timers: t });
  return { ...tuned, nodes: spec.nodes.map((n) => (n.rip === null ? n : { ...n, rip: { ...n.rip, timers: t } })) };
}

/** "5 15 15 20" (IOS) or "5 15 10" (FRR) as a `RipTimersSpec`; throws naming what was expected. */
export function parseRipTimers(text: string): RipTimersSpec {
  const words = text.trim().split(/\s+/).filter((w) => w !== '');
  const flavour = words.length === 4 ? 'ios' : words.length === 3 ? 'frr' : null;
  if (flavour === null) {
    throw new Error(`timers: expected IOS "<update> <invalid> <holddown> <flush>" (e.g. "5 15 15 20") or FRR "<update> <timeout> <garbage>" (e.g. "5 15 10") in seconds, got "${text}"`);
  }
  const t = readTimersBasic(flavour, words, TIMERS_SOURCE);
  if ('error' in t) throw new Error(`timers: ${t.error}, got "${text}"`);
  return t;
}

/** The profile forced by `withRipProfile`, or null. */
export function ripProfileOverride(spec: LabSpec): RipProfileName | null {
  return spec.overrides?.ripProfile ?? null;
}

/** The IOS poison reading forced by `withIosPoison`, or null. */
export function iosPoisonOverride(spec: LabSpec): IosPoisonReading | null {
  return spec.overrides?.iosPoison ?? null;
}
