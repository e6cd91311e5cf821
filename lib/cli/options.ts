/**
 * What every command reads from its options: the lab folder, times with their bounds, the seed, lab
 * options, failures. A refusal is a `UsageError` naming the option and what was expected; the
 * command line prints it as one line and points at the command's help.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BindProfileName } from '../proto/dns/server';
import { formatDuration, hours, parseDuration, type Duration, type SimTime } from '../sim/time';
import { Lab } from '../lab/lab';
import { PARAMETERS, parseFlag, type Knob } from '../sweep';
import type { LoadLabSettings } from '../config';

/** A mistake in the command line: exit 2, one line, then where the help is. */
export class UsageError extends Error {
  /** The command whose help explains it (`routes`, `real up`); empty: the program's. */
  command = '';
}

/**
 * The latest simulated time `--at`, `--until` and `--for` take (exec, routes, capture, failover):
 * a day of simulated time runs in about a second on this lab, and RIP's longest default timer is 240 s.
 */
export const MAX_COMMAND_TIME: Duration = hours(24);

/** The options of one command line, by their names on it (`bind-profile`, not `bindProfile`). */
export interface CliValues {
  seed?: string;
  fail?: string[];
  change?: string[];
  script?: string;
  at?: string;
  for?: string;
  json?: boolean;
  until?: string;
  out?: string;
  on?: string;
  anycast?: boolean;
  option?: string[];
  'bind-profile'?: string;
  client?: string;
  target?: string;
  interval?: string;
  profile?: string;
  runs?: string;
  workers?: string;
  shard?: string;
  resume?: boolean;
  overwrite?: boolean;
  probe?: string;
  'health-check'?: string;
  timers?: string;
  'ios-poison'?: string;
  'frr-version'?: string;
  to?: string;
  state?: string;
  only?: string;
  settle?: string;
  'run-for'?: string;
  verbose?: boolean;
}

export function labDir(arg: string | undefined): string {
  if (arg === undefined) throw new UsageError('no lab given');
  const direct = resolve(arg);
  if (existsSync(direct) && statSync(direct).isDirectory()) return direct;
  const named = join(__dirname, '..', '..', 'data', 'labs', arg);
  if (existsSync(named) && statSync(named).isDirectory()) return named;
  throw new UsageError(`no lab folder "${arg}" (looked at ${direct} and ${named})`);
}

/** `--at 5m`: a duration, at most `MAX_COMMAND_TIME`. */
export function time(value: string | undefined, option: string, fallback: SimTime): SimTime {
  if (value === undefined) return fallback;
  const parsed = parseDuration(value);
  if (!parsed.ok) throw new UsageError(`${option}: ${parsed.error}`);
  if (parsed.value > MAX_COMMAND_TIME) throw new UsageError(`${option}: at most ${formatDuration(MAX_COMMAND_TIME)} of simulated time, got "${value}"`);
  return parsed.value;
}

/** `--seed 7`: digits, optionally signed; an empty or fractional seed is refused, not read as 0. */
export function seedOf(value: string | undefined): number {
  if (value === undefined) return 1;
  const n = /^[+-]?\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) throw new UsageError(`--seed: expected a whole number, got "${value}"`);
  return n;
}

/** `--option allow_recursion=false`, `--option do_anycast` (= true), plus `--anycast`. */
export function labOptions(values: CliValues): Record<string, boolean> {
  const options: Record<string, boolean> = {};
  for (const text of values.option ?? []) {
    const m = /^([A-Za-z_][\w-]*)(?:=(true|false|yes|no|on|off|1|0))?$/.exec(text);
    if (m === null) throw new UsageError(`--option: expected <name>[=true|false], e.g. allow_recursion=false, got "${text}"`);
    options[m[1]!] = m[2] === undefined || ['true', 'yes', 'on', '1'].includes(m[2]);
  }
  if (values.anycast === true) options['do_anycast'] = true;
  return options;
}

/**
 * `--frr-version 10.2`: read through the `frrVersion` parameter (lib/sweep/parameters.ts), so that a
 * mistake is a usage error in the same words as in an experiment file, not a lab file's.
 */
export function labSettings(values: CliValues): LoadLabSettings {
  const text = values['frr-version'];
  if (text === undefined) return {};
  const release = flagValue(PARAMETERS['frrVersion'] as Knob<string | null>, text);
  return release === null ? {} : { frrVersion: release };
}

/** An option's text read through its knob's declaration; a refusal is a usage error naming the option. */
export function flagValue<T>(knob: Knob<T>, text: string): T {
  const r = parseFlag(knob, text, { baseDir: process.cwd() });
  if (!r.ok) throw new UsageError(r.error);
  return r.value;
}

export function bindProfileOf(values: CliValues): BindProfileName | undefined {
  const name = values['bind-profile'];
  return name === undefined ? undefined : flagValue(PARAMETERS['bindProfile'] as Knob<BindProfileName>, name);
}

/** `--fail a@1s,b@2s` is two failures in one option: each gets its own --fail. */
export function failFlags(values: CliValues): string[] {
  const fails = values.fail ?? [];
  for (const f of fails) {
    if (f.includes(',')) {
      const parts = f.split(',').filter((p) => p.trim() !== '');
      throw new UsageError(`--fail ${f}: one failure per --fail: repeat --fail (${parts.map((p) => `--fail ${p.trim()}`).join(' ')})`);
    }
  }
  return fails;
}

export function openLab(dir: string, values: CliValues): Lab {
  const failures = failFlags(values);
  const bindProfile = bindProfileOf(values);
  return Lab.load(dir, { seed: seedOf(values.seed), failures, changes: values.change ?? [], options: labOptions(values), ...labSettings(values), ...(bindProfile === undefined ? {} : { bindProfile }) });
}

/** Refuses words after the ones a command takes, naming them (`check takes one lab, got also "x"`). */
export function noMoreWords(command: string, takes: string, extra: readonly string[]): void {
  if (extra.length > 0) throw new UsageError(`${command} takes ${takes}, got also "${extra.join(' ')}"`);
}
