/**
 * Failure injection as data: `xenial1:halt@60s`, `r1:Ethernet0/0:link-down@2m`,
 * `xenial1:reboot=60s@2m` (down for 60 s from 2 min on), `xenial1:ripd-stop@2m`. The same text is
 * accepted by the CLI's `--fail` and by notebooks, and every failure is a scheduled event.
 *
 * Modes:
 * - `halt`, `boot`: power the node off (all state lost) / on (services start again).
 * - `reboot=<down time>`: halt at the time given, boot again after the down time.
 * - `drain=<time>`: graceful withdrawal of an anycast server: its anycast alias goes down
 *   (`ifconfig lo:0 down`: ripd poisons the route in a triggered update) and the node halts the
 *   time given later, once the routers have moved to another server.
 * - `link-down`, `link-up`: one interface (`node:iface:link-down`) or every one of the node.
 * - `named-stop` (rndc stop / SIGTERM), `named-crash` (SIGKILL), `named-start`.
 * - `ripd-stop` (SIGTERM, FRR `rip_clean()`), `ripd-crash` (SIGKILL), `ripd-start`: the node's RIP
 *   daemon only. Neither stop sends anything (see lib/net/rip-daemon.ts); the node keeps forwarding
 *   with its connected and static routes.
 */
import type { Duration, SimTime } from '../sim/time';
import { parseDuration } from '../sim/time';
import { ApiError } from './api-error';

/**
 * A failure the lab cannot schedule (or cannot read). The message stands alone in a notebook:
 * `failure xenial9:halt@1s: no node "xenial9" in lab anycast (…)`; `detail` is the same without the
 * leading word, for a command line to put its own option name in front (`--fail xenial9:halt@1s: …`).
 */
export class FailureError extends ApiError {
  override readonly name = 'FailureError';
  constructor(readonly detail: string) {
    super(`failure ${detail}`);
  }
}

export const FAILURE_MODES = ['halt', 'boot', 'reboot', 'drain', 'link-down', 'link-up', 'named-stop', 'named-start', 'named-crash', 'ripd-stop', 'ripd-start', 'ripd-crash'] as const;
export type FailureMode = (typeof FAILURE_MODES)[number];

/** Modes that take a duration after `=` (`reboot=60s`), and only those. */
const WITH_DURATION: readonly FailureMode[] = ['reboot', 'drain'];

export interface FailureSpec {
  node: string;
  /** For link failures: one interface; null means every interface of the node. */
  iface: string | null;
  mode: FailureMode;
  at: SimTime;
  /** `reboot` only: how long the node stays down before it boots again. */
  downFor?: Duration;
  /** `drain` only: from the withdrawal of the anycast address to the halt. */
  drainFor?: Duration;
}

export type ParsedFailure = { ok: true; value: FailureSpec } | { ok: false; error: string };

const FORM = 'expected <node>[:<interface>]:<mode>[=<duration>]@<time>, e.g. xenial1:halt@60s, r1:Ethernet0/0:link-down@2m, xenial1:reboot=60s@2m or xenial1:drain=10s@2m';

export function parseFailure(text: string): ParsedFailure {
  const atSign = text.lastIndexOf('@');
  if (atSign < 0) return { ok: false, error: `"${text}": no time given; ${FORM}` };
  const when = parseDuration(text.slice(atSign + 1));
  if (!when.ok) return { ok: false, error: `"${text}": ${when.error}` };
  const head = text.slice(0, atSign);
  const lastColon = head.lastIndexOf(':');
  if (lastColon <= 0) return { ok: false, error: `"${text}": ${FORM}` };
  const modeText = head.slice(lastColon + 1);
  const equals = modeText.indexOf('=');
  const mode = equals < 0 ? modeText : modeText.slice(0, equals);
  if (!(FAILURE_MODES as readonly string[]).includes(mode)) {
    return { ok: false, error: `"${text}": unknown failure mode "${mode}"; modes: ${FAILURE_MODES.join(', ')}` };
  }
  let duration: Duration | null = null;
  if (WITH_DURATION.includes(mode as FailureMode)) {
    if (equals < 0) return { ok: false, error: `"${text}": ${mode} needs ${mode === 'drain' ? 'the time from withdrawal to halt, e.g. drain=10s' : `the time the node stays down, e.g. ${mode}=60s`}` };
    const d = parseDuration(modeText.slice(equals + 1));
    if (!d.ok) return { ok: false, error: `"${text}": ${mode}=<duration>: ${d.error}` };
    if (d.value <= 0) return { ok: false, error: `"${text}": ${mode}=<duration> must be longer than 0s` };
    duration = d.value;
  } else if (equals >= 0) {
    return { ok: false, error: `"${text}": only ${WITH_DURATION.join(' and ')} take "=<duration>"; ${mode} does not` };
  }
  const target = head.slice(0, lastColon);
  const firstColon = target.indexOf(':');
  const node = firstColon < 0 ? target : target.slice(0, firstColon);
  const iface = firstColon < 0 ? null : target.slice(firstColon + 1);
  if (node === '') return { ok: false, error: `"${text}": no node named; ${FORM}` };
  if (iface !== null && mode !== 'link-down' && mode !== 'link-up') {
    return { ok: false, error: `"${text}": an interface only makes sense with link-down or link-up` };
  }
  const value: FailureSpec = { node, iface, mode: mode as FailureMode, at: when.value };
  if (duration !== null) {
    if (mode === 'drain') value.drainFor = duration;
    else value.downFor = duration;
  }
  return { ok: true, value };
}

export function formatFailure(f: FailureSpec, format: (t: SimTime) => string): string {
  const duration = f.downFor ?? f.drainFor;
  const d = duration === undefined ? '' : `=${format(duration)}`;
  return `${f.node}${f.iface === null ? '' : ':' + f.iface}:${f.mode}${d}@${format(f.at)}`;
}
