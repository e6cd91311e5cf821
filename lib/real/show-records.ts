/**
 * The saved real outputs of the feature labs (data/labs/feature-*): data/real/<lab>/show.json, one
 * record a lab (lib/real/show.ts makes them with `anycast-lab real record-show <lab>`).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { labPath } from '../config/paths';
import { readRealRecord, realDataPath } from './compare';
import type { RealShowRecord } from './show';

/** The file of a feature lab's saved real outputs. */
export const SHOW_RECORD = 'show.json';

/** The feature labs in data/labs (folders named feature-*), in name order. */
export function featureLabs(): string[] {
  const dir = labPath('.');
  return readdirSync(dir).filter((n) => n.startsWith('feature-') && existsSync(join(dir, n, 'topology.clab.yml'))).sort();
}

/** A lab's saved real outputs (data/real/<lab>/show.json). */
export function readShowRecord(lab: string, dir = realDataPath(lab)): RealShowRecord {
  return readRealRecord<RealShowRecord>(join(dir, SHOW_RECORD), 'real-show');
}
