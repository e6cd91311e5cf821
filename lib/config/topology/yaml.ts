/**
 * Reading the topology's YAML tree with positions: every problem names the line and column of the
 * node it is about. One TopologyReader per file carries the problems, findings and positions.
 */
import { isMap, isScalar, type LineCounter, type Node as YamlNode, type Pair } from 'yaml';
import { formatDuration, type Duration } from '../../sim/time';
import { readDuration, readDurationRange, type DurationRange } from '../common';
import { Findings, Problems } from '../errors';
import type { SourceRef } from '../spec';
import { DELAY_RANGE } from './types';

export type YamlPair = Pair<YamlNode | null, YamlNode | null>;

export class TopologyReader {
  readonly problems: Problems;
  readonly findings: Findings;
  /** Where each node and endpoint was written, for problems found after reading (columns included). */
  readonly positions = new Map<object, { line: number; column: number }>();

  constructor(
    readonly file: string,
    private readonly lineCounter: LineCounter,
  ) {
    this.problems = new Problems(file);
    this.findings = new Findings(file);
  }

  at(node: unknown): { line: number; column: number } {
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range === undefined) return { line: 1, column: 1 };
    const p = this.lineCounter.linePos(range[0]);
    return { line: p.line, column: p.col };
  }

  src(node: unknown): SourceRef {
    return { file: this.file, line: this.at(node).line };
  }

  problem(node: unknown, message: string): void {
    const p = this.at(node);
    this.problems.add(p.line, message, p.column);
  }

  /** A mapping's pairs, or null (and a problem) when `node` is not a mapping. */
  entries(node: unknown, what: string): YamlPair[] | null {
    if (!isMap(node)) {
      this.problem(node, `expected ${what} (a mapping of keys to values)`);
      return null;
    }
    return node.items as YamlPair[];
  }

  /** A one-way delay (a link's, a bridge's, the lab's): a duration in DELAY_RANGE. */
  durationAt(node: unknown, what: string): Duration | null {
    const text = isScalar(node) ? String(node.value) : null;
    const d = text === null ? null : readDuration(text);
    if (d === null || !d.ok || typeof (node as { value: unknown }).value !== 'string') {
      this.problem(node, `${what}: expected a duration with its unit such as 0.5ms, 300us or 2s${text === null ? '' : `, got "${text}"`}`);
      return null;
    }
    return this.withinDelayRange(node, what, text!, [d.value]) ? d.value : null;
  }

  /** A processing delay: a duration or a range `min..max`, min ≤ max, both in DELAY_RANGE. */
  rangeAt(node: unknown, what: string): DurationRange | null {
    const text = isScalar(node) ? String(node.value) : null;
    const d = text === null ? null : readDurationRange(text);
    if (d !== null && !d.ok && typeof (node as { value: unknown }).value === 'string') {
      this.problem(node, `${what}: ${d.error}`);
      return null;
    }
    if (d === null || !d.ok || typeof (node as { value: unknown }).value !== 'string') {
      this.problem(node, `${what}: expected a duration such as 2ms or a range such as 2ms..6ms${text === null ? '' : `, got "${text}"`}`);
      return null;
    }
    return this.withinDelayRange(node, what, text!, [d.value.min, d.value.max]) ? d.value : null;
  }

  /** Whether every one of `values` is in DELAY_RANGE; a problem naming the key, the range and the value if not. */
  private withinDelayRange(node: unknown, what: string, text: string, values: readonly Duration[]): boolean {
    if (values.every((v) => v >= DELAY_RANGE.min && v <= DELAY_RANGE.max)) return true;
    this.problem(node, `${what}: expected a delay from ${formatDuration(DELAY_RANGE.min)} to ${formatDuration(DELAY_RANGE.max)}, got "${text}"`);
    return false;
  }
}

export function keyOf(pair: YamlPair): string | null {
  return isScalar(pair.key) && (typeof pair.key.value === 'string' || typeof pair.key.value === 'number') ? String(pair.key.value) : null;
}

export function stringOf(node: unknown): string | null {
  return isScalar(node) && typeof node.value === 'string' ? node.value : null;
}

/** The value under `key` of a mapping; undefined when `node` is no mapping or has no such key. */
export function get(node: unknown, key: string): YamlNode | null | undefined {
  if (!isMap(node)) return undefined;
  const pair = (node.items as YamlPair[]).find((p) => keyOf(p) === key);
  return pair === undefined ? undefined : pair.value;
}
