/**
 * Where a lab's files come from: a folder on disk (lib/config/load.ts reads one), or text held in
 * memory — a page that embeds the labs, an editor in it, a test. Nothing here touches the disk, so a
 * browser bundle can load a lab from text.
 */

/** A lab's files, by their paths relative to the lab folder (`r1.cfg`, `daemons/xenial1`). */
export interface LabFiles {
  /** The lab folder's name, as file names in errors start with it (`anycast/r1.cfg`). */
  name: string;
  /** The folder on disk, or null for text in memory. */
  dir: string | null;
  /** The names of the files at the top of the lab folder. */
  topLevel(): string[];
  /** A file's text, or null when the lab has no such file. */
  read(path: string): string | null;
  /** The path as errors and sources name it: `<lab name>/<path>`, `..` resolved. */
  displayName(path: string): string;
}

/**
 * `a/./b/../c` → `a/c`; a path that climbs out of the lab (`../x`) keeps its `..`, as the folder
 * holding the lab is where error names start.
 */
export function normalizeLabPath(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
}

/** A lab held as text: `{ 'topology.clab.yml': '…', 'r1.cfg': '…' }`. */
export function memoryLabFiles(name: string, files: Readonly<Record<string, string>>): LabFiles {
  const byPath = new Map(Object.entries(files).map(([path, text]) => [normalizeLabPath(path), text]));
  return {
    name,
    dir: null,
    topLevel: () => [...byPath.keys()].filter((p) => !p.includes('/')).sort(),
    read: (path) => byPath.get(normalizeLabPath(path)) ?? null,
    displayName: (path) => normalizeLabPath(`${name}/${path}`),
  };
}
