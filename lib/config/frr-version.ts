/**
 * FRR releases: which one a node's FRR configuration is read as. FRR writes `frr version X` at the top
 * of every configuration it saves or shows (lib/command.c vty_write_config: "frr version %s" with
 * FRR_VER_SHORT, then "frr defaults %s"); a file with that line is read with that release's grammar. A file
 * without one takes the lab's setting (topology `x-sim.frr-version`, the `--frr-version` option, or
 * `frrVersion` in code), by default 8.4: what Debian 12 ships and what the real lab runs.
 *
 * The grammar of a command that changed between releases is declared next to the command (its
 * `frrHistory`, lib/config/commands/engine.ts); this file only names the releases and compares them.
 */

/** A release, major and minor: `8.4.4` is read as 8.4 (patch releases do not change the CLI). */
export interface FrrRelease {
  major: number;
  minor: number;
}

/** Debian 12's frr 8.4.4, which the real lab runs. */
export const DEFAULT_FRR_RELEASE: FrrRelease = { major: 8, minor: 4 };

/**
 * The release families whose differences are declared and checked (8.4 against a real FRR 8.4.4;
 * 10.x against FRR's source and documentation). Another 8.x–10.x release is read by the same
 * declarations (each says from which release it holds), with a note that it is not checked.
 */
export const CHECKED_FRR_RELEASES = ['8.4', '10.x'] as const;

/** `8.4`, `10.2`. */
export function formatFrrRelease(r: FrrRelease): string {
  return `${r.major}.${r.minor}`;
}

/** Reads `8.4`, `8.4.4`, `10.2`, `10.2.1`, `10` (read as 10.0); null when it is not a release number. */
export function parseFrrRelease(text: string): FrrRelease | null {
  const m = /^(\d{1,2})(?:\.(\d{1,2}))?(?:\.\d{1,3})?(?:[-~+][\w.~+-]*)?$/.exec(text.trim());
  if (m === null) return null;
  return { major: Number(m[1]), minor: m[2] === undefined ? 0 : Number(m[2]) };
}

/** Negative when a is older than b. */
export function compareFrrRelease(a: FrrRelease, b: FrrRelease): number {
  return a.major - b.major || a.minor - b.minor;
}

/**
 * The releases the simulator reads: 8.0 to 10.x, the ones the declarations' histories cover. NOTE: not
 * a claim about FRR's history: ripd's northbound CLI (rip_cli.c with nb_cli_enqueue_change) is older
 * than 8.0 (the 7.x copy read has it); 7.x is refused because nothing here was checked against it.
 */
export function frrReleaseProblem(r: FrrRelease, written: string): string | null {
  if (r.major < 8 || r.major > 10) return `FRR ${written} is not a release the simulator reads: expected 8.x, 9.x or 10.x (checked: ${CHECKED_FRR_RELEASES.join(' and ')})`;
  return null;
}

/** Whether a release is one whose differences were checked (8.4 exactly, any 10.x). */
export function isCheckedFrrRelease(r: FrrRelease): boolean {
  return (r.major === 8 && r.minor === 4) || r.major === 10;
}

/**
 * How a user selects a release at least `since`: the `frr version` line FRR itself writes, or the
 * lab option. Names the oldest checked family at or after `since` (`10.x` for 9.0).
 */
export function howToSelect(since: FrrRelease): string {
  const family = compareFrrRelease(since, DEFAULT_FRR_RELEASE) <= 0 ? { text: '8.4', option: '8.4' } : { text: '10.x', option: '10' };
  return `frr version ${family.text} or --frr-version ${family.option}`;
}

/** Where the release a node's FRR is read as came from. */
export type FrrReleaseOrigin = 'config' | 'lab' | 'default';
