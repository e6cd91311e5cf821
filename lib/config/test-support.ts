/** Helpers for the tests of lib/config (and the layers above that load labs from text). */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throw-away lab folder `<tmp>/<name>/` with the given files. */
export function tempLab(files: Record<string, string>, name = 'lab'): { dir: string; done: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'anycast-lab-config-'));
  const dir = join(root, name);
  mkdirSync(dir);
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
  return { dir, done: () => rmSync(root, { recursive: true, force: true }) };
}
