/** Helpers for the tests of lib/config (and the layers above that load labs from text). */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { LabFileError } from './errors';

/** A throw-away lab folder `<tmp>/<name>/` with the given files. */
export function tempLab(files: Record<string, string>, name = 'lab'): { dir: string; done: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'anycast-lab-config-'));
  const dir = join(root, name);
  mkdirSync(dir);
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
  return { dir, done: () => rmSync(root, { recursive: true, force: true }) };
}

/** The LabFileError that `f` throws (any other outcome fails the test). */
export function errorOf(f: () => unknown): LabFileError {
  try {
    f();
  } catch (e) {
    if (e instanceof LabFileError) return e;
    throw e;
  }
  assert.fail('expected a LabFileError');
}
