/**
 * A sweep's rows file: CSV or JSON Lines, one line per row in job order, and the meta file beside it
 * (`<out>.meta.json`) naming the experiment's hash, the shard and the columns.
 *
 * - One `write` per row, so a file is always a prefix of the sweep's rows, possibly with a torn last
 *   line if the process was killed mid-write: reading leaves that line out and says where the
 *   complete lines end, and resuming cuts the file there and appends.
 * - A row is one line: a cell with a line break is refused (parameters format to one line), so a
 *   line-by-line reader is exact. Cells with a comma, a quote, or a leading or trailing space are
 *   quoted (RFC 4180 §2), the space because spreadsheets trim it otherwise.
 *
 * NOTE: csv-stringify and csv-parse (DESIGN §4.14) are not installed here, and a general CSV reader
 * accepts quoted line breaks, which would break the prefix rule resume relies on; the codec stays
 * ours (about forty lines) until a library gives the same bytes and keeps rows to one line.
 */
import { closeSync, existsSync, openSync, readFileSync, rmSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { MEASURES, type CellValue, type Column, type ColumnKind, type ColumnUnit, type Row } from './measures';
import type { Experiment } from './experiment';
import type { Shard } from './shards';

/** A sweep that cannot go on as asked (output of another experiment, shards that do not match, …). */
export class SweepError extends Error {
  override readonly name = 'SweepError';
}

export type OutputFormat = 'csv' | 'jsonl';

export function outputFormatOf(path: string): OutputFormat {
  if (/\.csv$/i.test(path)) return 'csv';
  if (/\.(jsonl|ndjson)$/i.test(path)) return 'jsonl';
  throw new SweepError(`${path}: the output's name must end in .csv or .jsonl (JSON Lines)`);
}

// 2: columns carry their unit, and the measured columns with one end their names with it (outageSeconds).
const META_FORMAT = 'anycast-lab-sweep/2';

/** What `<out>.meta.json` says about the rows beside it. */
export interface SweepMeta {
  format: typeof META_FORMAT;
  experiment: string;
  hash: string;
  measure: string;
  runs: number;
  /** Jobs in the whole experiment (all shards). */
  total: number;
  shard: Shard;
  columns: { name: string; kind: ColumnKind; unit?: ColumnUnit }[];
  summaryColumn: string;
  /** The measure's premise column when recorded (`Measure.premiseColumn`); absent in older meta files. */
  premiseColumn?: string;
  meanColumns: string[];
  points: { label: string; values: Record<string, string> }[];
}

export function metaPath(out: string): string {
  return `${out}.meta.json`;
}

export function metaOf(e: Experiment, shard: Shard): SweepMeta {
  const measure = MEASURES[e.measure]!;
  return {
    format: META_FORMAT,
    experiment: e.name,
    hash: e.hash,
    measure: e.measure,
    runs: e.runs,
    total: e.points.length * e.runs,
    shard,
    columns: e.columns.map((c) => ({ name: c.name, kind: c.kind, ...(c.unit === undefined ? {} : { unit: c.unit }) })),
    summaryColumn: e.columns.some((c) => c.name === measure.summaryColumn) ? measure.summaryColumn : '',
    ...(measure.premiseColumn !== undefined && e.columns.some((c) => c.name === measure.premiseColumn) ? { premiseColumn: measure.premiseColumn } : {}),
    meanColumns: e.columns.filter((c: Column) => c.mean === true).map((c) => c.name),
    points: e.points.map((p) => ({ label: p.label, values: p.values })),
  };
}

export function readMeta(out: string): SweepMeta {
  const path = metaPath(out);
  if (!existsSync(path)) throw new SweepError(`${out}: no ${path} beside it, so nothing says which experiment its rows belong to`);
  let meta: SweepMeta;
  try {
    meta = JSON.parse(readFileSync(path, 'utf8')) as SweepMeta;
  } catch (e) {
    throw new SweepError(`${path}: not valid JSON (${(e as Error).message})`);
  }
  if (meta.format !== META_FORMAT) throw new SweepError(`${path}: expected format ${META_FORMAT}, got ${JSON.stringify(meta.format)}`);
  return meta;
}

// ---- rows as text ---------------------------------------------------------------------------

function csvCell(v: CellValue): string {
  if (v === null) return '';
  const text = String(v);
  // Rows are lines (resume and merge read them so): a parameter's format never has a line break.
  if (/[\r\n]/.test(text)) throw new SweepError(`a cell with a line break: ${JSON.stringify(text)}`);
  return /[",]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvCells(line: string): string[] {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    let cell = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) throw new SweepError('unterminated quoted CSV cell');
        cell += line.slice(i, q);
        i = q + 1;
        if (line[i] === '"') {
          cell += '"';
          i++;
        } else break;
      }
    } else {
      const comma = line.indexOf(',', i);
      cell = line.slice(i, comma < 0 ? line.length : comma);
      i = comma < 0 ? line.length : comma;
    }
    cells.push(cell);
    if (i >= line.length) return cells;
    if (line[i] !== ',') throw new SweepError('expected a comma after a quoted CSV cell');
    i++;
  }
}

function cellOf(text: string, kind: ColumnKind): CellValue {
  if (kind === 'text') return text;
  if (text === '') return null;
  if (kind === 'bool') return text === 'true';
  return Number(text);
}

function rowLine(row: Row, columns: readonly { name: string }[], format: OutputFormat): string {
  if (format === 'csv') return columns.map((c) => csvCell(row[c.name] ?? null)).join(',') + '\n';
  const ordered: Row = {};
  for (const c of columns) ordered[c.name] = row[c.name] ?? null;
  return JSON.stringify(ordered) + '\n';
}

function headerLine(columns: readonly { name: string }[]): string {
  return columns.map((c) => csvCell(c.name)).join(',') + '\n';
}

/**
 * The rows of a sweep output file. A last line without its newline (the writer was killed in the
 * middle of it) is left out; `truncateAt` is where the complete lines end.
 */
export function readRows(path: string, columns: readonly { name: string; kind: ColumnKind }[]): { rows: Row[]; truncateAt: number } {
  const format = outputFormatOf(path);
  const text = readFileSync(path, 'utf8');
  const end = text.lastIndexOf('\n') + 1;
  const lines = text.slice(0, end).split('\n');
  lines.pop();
  const rows: Row[] = [];
  lines.forEach((line, i) => {
    const where = `${path}:${i + 1}`;
    if (format === 'csv' && i === 0) {
      if (line + '\n' !== headerLine(columns)) throw new SweepError(`${where}: expected the header ${headerLine(columns).trim()}, got ${line}`);
      return;
    }
    try {
      if (format === 'jsonl') rows.push(JSON.parse(line) as Row);
      else {
        const cells = csvCells(line);
        if (cells.length !== columns.length) throw new SweepError(`expected ${columns.length} cells, got ${cells.length}`);
        const row: Row = {};
        columns.forEach((c, k) => (row[c.name] = cellOf(cells[k]!, c.kind)));
        rows.push(row);
      }
    } catch (e) {
      throw new SweepError(`${where}: not a row of this sweep (${(e as Error).message})`);
    }
  });
  return { rows, truncateAt: Buffer.byteLength(text.slice(0, end)) };
}

/** A rows file open for appending, one `write` per row. */
export class RowsWriter {
  private constructor(
    private readonly fd: number,
    private readonly format: OutputFormat,
    private readonly columns: readonly { name: string }[],
  ) {}

  /** Starts `out` afresh: its meta file, then (CSV) the header. */
  static create(out: string, meta: SweepMeta): RowsWriter {
    const format = outputFormatOf(out);
    rmSync(out, { force: true });
    writeFileSync(metaPath(out), JSON.stringify(meta, null, 1) + '\n');
    const writer = new RowsWriter(openSync(out, 'w'), format, meta.columns);
    if (format === 'csv') writeSync(writer.fd, headerLine(meta.columns));
    return writer;
  }

  /**
   * Goes on with `out`: its meta file must name the same experiment (hash) and shard as `meta`; its
   * complete rows are returned, a torn last line is cut off, and rows are appended from there.
   */
  static resume(out: string, meta: SweepMeta): { writer: RowsWriter; rows: Row[] } {
    const format = outputFormatOf(out);
    const old = readMeta(out);
    if (old.hash !== meta.hash || old.shard.index !== meta.shard.index || old.shard.count !== meta.shard.count) {
      throw new SweepError(`${out} holds rows of ${old.experiment} (hash ${old.hash}, shard ${old.shard.index}/${old.shard.count}), not of ${meta.experiment} (hash ${meta.hash}, shard ${meta.shard.index}/${meta.shard.count}): the experiment changed; overwrite it or write elsewhere`);
    }
    const { rows, truncateAt } = readRows(out, meta.columns);
    truncateSync(out, truncateAt);
    const writer = new RowsWriter(openSync(out, 'a'), format, meta.columns);
    if (truncateAt === 0 && format === 'csv') writeSync(writer.fd, headerLine(meta.columns));
    return { writer, rows };
  }

  write(row: Row): void {
    writeSync(this.fd, rowLine(row, this.columns, this.format));
  }

  close(): void {
    closeSync(this.fd);
  }
}
