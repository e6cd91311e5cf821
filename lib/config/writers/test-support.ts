/**
 * The real programs that read what the writers write, when they are installed: FRR 8.4's daemons
 * in `--dryrun` mode and BIND's named-checkconf / named-checkzone. Each check says why it cannot run
 * when its program is missing, so a skipped test tells the reader what to install.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const FRR_DIR = '/usr/lib/frr';

/** Why the FRR checks cannot run here, or false when they can (for node:test's `skip`). */
export function frrMissing(): string | false {
  for (const d of ['zebra', 'ripd', 'staticd']) if (!existsSync(join(FRR_DIR, d))) return `FRR is not installed (${FRR_DIR}/${d} missing; Debian: apt-get install frr)`;
  return false;
}

/** Why the BIND checks cannot run here, or false when they can. */
export function bindMissing(): string | false {
  for (const p of ['named-checkconf', 'named-checkzone']) {
    if (spawnSync(p, ['-v']).error !== undefined) return `BIND's ${p} is not installed (Debian: apt-get install bind9)`;
  }
  return false;
}

/** A throw-away folder. */
export function tempDir(prefix: string): { dir: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The lines an FRR daemon rejects in `text` (`<daemon> --dryrun -f <file>`). FRR 8.4 exits 0 even
 * then; each rejected line is logged as "… on config line N: …". A file the daemon cannot read (it
 * drops to user frr first) is an error here, not a clean pass.
 */
export function frrRejects(daemon: 'zebra' | 'ripd' | 'staticd', text: string): string[] {
  const t = tempDir('anycast-lab-frr-');
  try {
    const file = join(t.dir, `${daemon}.conf`);
    writeFileSync(file, text);
    chmodSync(t.dir, 0o755);
    chmodSync(file, 0o644);
    const run = spawnSync(join(FRR_DIR, daemon), ['--dryrun', '-f', file], { encoding: 'utf8', timeout: 20_000 });
    if (run.error !== undefined) throw run.error;
    const output = `${run.stdout}\n${run.stderr}`;
    if (output.includes("can't open configuration file")) throw new Error(`${daemon} could not read ${file}:\n${output.trim()}`);
    return output.split('\n').filter((l) => / on config line \d+/.test(l));
  } finally {
    t.done();
  }
}

/** named-checkconf / named-checkzone: exit code and output. */
export function runBindCheck(program: 'named-checkconf' | 'named-checkzone', args: string[]): { code: number; output: string } {
  const run = spawnSync(program, args, { encoding: 'utf8', timeout: 20_000 });
  if (run.error !== undefined) throw run.error;
  return { code: run.status ?? -1, output: `${run.stdout}${run.stderr}`.trim() };
}
