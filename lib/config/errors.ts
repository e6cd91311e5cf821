/**
 * Errors and findings for configuration text. A `LabFileError` is what a user sees when a lab file is
 * wrong: the file (relative to the labs folder, e.g. `anycast/r1.cfg`), the line, and what was expected.
 * It carries every problem found in the file(s), not only the first.
 */
import { ApiError } from './api-error';
import type { ConfigFinding, SourceRef } from './spec';

export interface LabFileProblem {
  /** Path relative to the folder holding the lab folder: `anycast/r1.cfg`. */
  file: string;
  /** 1-based; null when the problem is about the file as a whole. */
  line: number | null;
  /** 1-based; null when not known. */
  column: number | null;
  /** What was expected and what was found, in the user's terms. */
  message: string;
}

/** `anycast/r1.cfg:4: expected …` (with `:column` when known). */
export function formatProblem(p: LabFileProblem): string {
  let where = p.file;
  if (p.line !== null) where += `:${p.line}`;
  if (p.line !== null && p.column !== null) where += `:${p.column}`;
  return `${where}: ${p.message}`;
}

/**
 * One or more problems in lab files. `file`, `line` and `column` are those of the first problem;
 * `problems` lists them all, in file order. The message is one formatted line per problem.
 */
export class LabFileError extends ApiError {
  override readonly name = 'LabFileError';
  readonly file: string;
  readonly line: number | null;
  readonly column: number | null;
  readonly problems: readonly LabFileProblem[];

  constructor(problems: readonly LabFileProblem[]) {
    if (problems.length === 0) throw new RangeError('LabFileError needs at least one problem');
    super(problems.map(formatProblem).join('\n'));
    const first = problems[0]!;
    this.file = first.file;
    this.line = first.line;
    this.column = first.column;
    this.problems = problems;
  }
}

/** Collects the problems of one file while a parser reads on; `throwIfAny()` at the end. */
export class Problems {
  readonly list: LabFileProblem[] = [];
  constructor(readonly file: string) {}

  add(line: number | null, message: string, column: number | null = null): void {
    this.list.push({ file: this.file, line, column, message });
  }

  get count(): number {
    return this.list.length;
  }

  throwIfAny(): void {
    if (this.list.length > 0) throw new LabFileError(this.list);
  }
}

/** Collects the findings of one file. */
export class Findings {
  readonly list: ConfigFinding[] = [];
  constructor(readonly file: string) {}

  add(severity: ConfigFinding['severity'], line: number, message: string): void {
    this.list.push({ severity, message, source: { file: this.file, line } });
  }
}

export function ref(file: string, line: number): SourceRef {
  return { file, line };
}

/** Quotes a piece of the user's text for a message, shortened if long. */
export function quote(text: string, max = 80): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(oneLine.length > max ? oneLine.slice(0, max - 1) + '…' : oneLine);
}
