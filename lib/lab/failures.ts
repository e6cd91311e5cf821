/**
 * Failure injection as data: `xenial1:halt@60s`, `r1:Ethernet0/0:link-down@2m`. The same text is
 * accepted by the CLI's `--fail` and by notebooks, and every failure is a scheduled event.
 */
import type { SimTime } from '../sim/time';
import { parseDuration } from '../sim/time';

export const FAILURE_MODES = ['halt', 'boot', 'link-down', 'link-up', 'named-stop', 'named-start', 'named-crash'] as const;
export type FailureMode = (typeof FAILURE_MODES)[number];

export interface FailureSpec {
  node: string;
  /** For link failures: one interface; null means every interface of the node. */
  iface: string | null;
  mode: FailureMode;
  at: SimTime;
}

export type ParsedFailure = { ok: true; value: FailureSpec } | { ok: false; error: string };

const FORM = 'expected <node>[:<interface>]:<mode>@<time>, e.g. xenial1:halt@60s or r1:Ethernet0/0:link-down@2m';

export function parseFailure(text: string): ParsedFailure {
  const atSign = text.lastIndexOf('@');
  if (atSign < 0) return { ok: false, error: `"${text}": no time given; ${FORM}` };
  const when = parseDuration(text.slice(atSign + 1));
  if (!when.ok) return { ok: false, error: `"${text}": ${when.error}` };
  const head = text.slice(0, atSign);
  const lastColon = head.lastIndexOf(':');
  if (lastColon <= 0) return { ok: false, error: `"${text}": ${FORM}` };
  const mode = head.slice(lastColon + 1);
  if (!(FAILURE_MODES as readonly string[]).includes(mode)) {
    return { ok: false, error: `"${text}": unknown failure mode "${mode}"; modes: ${FAILURE_MODES.join(', ')}` };
  }
  const target = head.slice(0, lastColon);
  const firstColon = target.indexOf(':');
  const node = firstColon < 0 ? target : target.slice(0, firstColon);
  const iface = firstColon < 0 ? null : target.slice(firstColon + 1);
  if (node === '') return { ok: false, error: `"${text}": no node named; ${FORM}` };
  if (iface !== null && mode !== 'link-down' && mode !== 'link-up') {
    return { ok: false, error: `"${text}": an interface only makes sense with link-down or link-up` };
  }
  return { ok: true, value: { node, iface, mode: mode as FailureMode, at: when.value } };
}

export function formatFailure(f: FailureSpec, format: (t: SimTime) => string): string {
  return `${f.node}${f.iface === null ? '' : ':' + f.iface}:${f.mode}@${format(f.at)}`;
}
