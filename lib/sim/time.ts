/**
 * Simulated time. Every instant and every duration is an integer number of microseconds, so that
 * arithmetic is exact and two runs with the same seed order their events identically.
 * A bare number never means time in this code base: build durations with the helpers below.
 */
export type SimTime = number;
export type Duration = number;

export const US_PER_MS = 1_000;
export const US_PER_SECOND = 1_000_000;

export function us(n: number): Duration {
  return Math.round(n);
}
export function ms(n: number): Duration {
  return Math.round(n * US_PER_MS);
}
export function seconds(n: number): Duration {
  return Math.round(n * US_PER_SECOND);
}
export function minutes(n: number): Duration {
  return Math.round(n * 60 * US_PER_SECOND);
}
export function hours(n: number): Duration {
  return Math.round(n * 3600 * US_PER_SECOND);
}

export function toSeconds(t: Duration): number {
  return t / US_PER_SECOND;
}
export function toMs(t: Duration): number {
  return t / US_PER_MS;
}

const UNIT_US: Record<string, number> = {
  us: 1,
  µs: 1,
  ms: US_PER_MS,
  s: US_PER_SECOND,
  m: 60 * US_PER_SECOND,
  min: 60 * US_PER_SECOND,
  h: 3600 * US_PER_SECOND,
  d: 86400 * US_PER_SECOND,
};

/** The result of reading a duration the user typed: a value, or what was wrong with it. */
export type ParsedDuration = { ok: true; value: Duration } | { ok: false; error: string };

/**
 * Reads durations as people type them: `300s`, `5m`, `1h30m`, `250ms`, `24h`. A plain number is
 * rejected on purpose: "300" could mean seconds or milliseconds, and guessing wrong is silent.
 */
export function parseDuration(text: string): ParsedDuration {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, error: 'expected a duration such as 300s, 5m or 24h, got an empty string' };
  const part = /(\d+(?:\.\d+)?)(us|µs|ms|min|s|m|h|d)/y;
  let total = 0;
  let pos = 0;
  while (pos < trimmed.length) {
    part.lastIndex = pos;
    const match = part.exec(trimmed);
    if (match === null) {
      return {
        ok: false,
        error: `expected a duration such as 300s, 5m, 1h30m or 250ms, got "${text}" (units: us, ms, s, m, h, d)`,
      };
    }
    total += Number(match[1]) * UNIT_US[match[2]!]!;
    pos = part.lastIndex;
  }
  return { ok: true, value: Math.round(total) };
}

/** A duration as a person passes one to the API: microseconds (`seconds(90)`) or text (`'1m30s'`). */
export type DurationInput = Duration | string;

/**
 * Reads a DurationInput given as option `name`: text through parseDuration, a number as microseconds.
 * Throws one line naming the option, e.g. `at: expected a duration such as 300s, 5m, 1h30m or 250ms, got "5x" (…)`.
 */
export function toDuration(value: DurationInput, name: string): Duration {
  if (typeof value === 'string') {
    const parsed = parseDuration(value);
    if (!parsed.ok) throw new Error(`${name}: ${parsed.error}`);
    return parsed.value;
  }
  // Numbers keep their meaning (an instant before now is a no-op for runUntil); only non-numbers are refused.
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    const shown = typeof value === 'number' ? String(value) : typeof value;
    throw new Error(`${name}: expected a duration such as '5m' or seconds(300), got ${shown}`);
  }
  return Math.round(value);
}

/** `90_000_000` → `1m30s`; `1_500` → `1.5ms`. Short and unambiguous, for logs and tables. */
export function formatDuration(t: Duration): string {
  if (t === 0) return '0s';
  const sign = t < 0 ? '-' : '';
  let rest = Math.abs(t);
  if (rest < US_PER_MS) return `${sign}${rest}us`;
  if (rest < US_PER_SECOND) return `${sign}${+(rest / US_PER_MS).toFixed(3)}ms`;
  const parts: string[] = [];
  const h = Math.floor(rest / (3600 * US_PER_SECOND));
  rest -= h * 3600 * US_PER_SECOND;
  const m = Math.floor(rest / (60 * US_PER_SECOND));
  rest -= m * 60 * US_PER_SECOND;
  if (h) parts.push(`${h}h`);
  if (m) parts.push(`${m}m`);
  if (rest) parts.push(`${+(rest / US_PER_SECOND).toFixed(6)}s`);
  return sign + parts.join('');
}

/**
 * A duration for a person to read: formatDuration's form, from a second up rounded to the
 * millisecond (`1m0.005716s` → `1m0.006s`); shorter ones as formatDuration prints them (`1.5ms`,
 * `250us`). For tables and prose only: rows, `--json` and CSV keep exact microseconds.
 */
export function readableDuration(t: Duration): string {
  if (Math.abs(t) < US_PER_SECOND) return formatDuration(t);
  return formatDuration(Math.round(t / US_PER_MS) * US_PER_MS);
}
