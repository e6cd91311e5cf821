/** Helpers for the tests of DNS read at load (lib/config/node-dns.test.ts, lib/cli/check.test.ts). */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ANYCAST = join(__dirname, '..', '..', 'data', 'labs', 'anycast');

/** Runs `f` on a copy of the anycast lab in a temp folder (named `anycast`), changed by `edit` first. */
export function copiedLab<T>(edit: (dir: string) => void, f: (dir: string) => T): T {
  const root = mkdtempSync(join(tmpdir(), 'anycast-lab-dns-'));
  const dir = join(root, 'anycast');
  try {
    cpSync(ANYCAST, dir, { recursive: true });
    edit(dir);
    return f(dir);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Line 4 of xenial2's input file (`xenia14 10.128.8.2`) without its address. */
export function breakXenial2Line4(dir: string): void {
  const path = join(dir, 'xenial2.dns-input-file');
  const lines = readFileSync(path, 'utf8').split('\n');
  assert.equal(lines[3], 'xenia14 10.128.8.2');
  lines[3] = 'xenia14';
  writeFileSync(path, lines.join('\n'));
}
