/**
 * Tables as HTML that reads well in JupyterLab (light and dark themes: colours come from the
 * surrounding text colour) and in the exported tutorial. Cells are rounded for reading: numbers to
 * three decimals, durations as formatDuration writes them to the millisecond (readableDuration).
 */
import { parseDuration, readableDuration } from '../sim/time';

export interface TableOptions {
  caption?: string;
  /** Column order and headings; default: the keys of the first row. */
  columns?: { key: string; label?: string; align?: 'left' | 'right' }[];
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** formatDuration's text with more than millisecond precision in its seconds (`1m0.005716s`). */
const FINE_DURATION = /^-?(?:\d+h)?(?:\d+m)?\d+\.\d{4,}s$/;

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return String(Number.isInteger(v) ? v : +v.toFixed(3));
  const text = String(v);
  if (!FINE_DURATION.test(text)) return text;
  const negative = text.startsWith('-');
  const parsed = parseDuration(negative ? text.slice(1) : text);
  return parsed.ok ? readableDuration(negative ? -parsed.value : parsed.value) : text;
}

export function htmlTable<T extends object>(items: readonly T[], options: TableOptions = {}): string {
  const rows = items as unknown as readonly Record<string, unknown>[];
  const columns: NonNullable<TableOptions['columns']> = options.columns ?? Object.keys(rows[0] ?? {}).map((key) => ({ key }));
  const cell = cellText;
  const isNumeric = (key: string) => rows.length > 0 && rows.every((r) => typeof r[key] === 'number' || r[key] === null || r[key] === undefined);
  const align = columns.map((c) => c.align ?? (isNumeric(c.key) ? 'right' : 'left'));
  const head = columns.map((c, i) => `<th style="text-align:${align[i]};padding:2px 10px;border-bottom:1px solid currentColor">${escapeHtml(c.label ?? c.key)}</th>`).join('');
  const body = rows
    .map((r) => `<tr>${columns.map((c, i) => `<td style="text-align:${align[i]};padding:2px 10px;font-family:ui-monospace,monospace">${escapeHtml(cell(r[c.key]))}</td>`).join('')}</tr>`)
    .join('');
  const caption = options.caption === undefined ? '' : `<caption style="caption-side:bottom;text-align:left;opacity:.8;padding-top:4px">${escapeHtml(options.caption)}</caption>`;
  return `<table style="border-collapse:collapse;color:inherit;background:transparent;font-size:13px">${caption}<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/** Console output as a preformatted block, optionally beside a reference text (e.g. the write-up's). */
export function consoleBlock(text: string, title?: string): string {
  const heading = title === undefined ? '' : `<div style="font-weight:600;margin-bottom:2px">${escapeHtml(title)}</div>`;
  return `<div style="margin:4px 0">${heading}<pre style="margin:0;padding:6px 8px;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;border:1px solid rgba(128,128,128,.4);border-radius:4px;background:rgba(128,128,128,.08);color:inherit;font-size:12px;line-height:1.35">${escapeHtml(text)}</pre></div>`;
}

/** Two console blocks side by side: ours and the reference. */
export function sideBySide(left: string, leftTitle: string, right: string, rightTitle: string): string {
  return `<div style="display:flex;gap:12px;flex-wrap:wrap"><div style="flex:1;min-width:320px">${consoleBlock(left, leftTitle)}</div><div style="flex:1;min-width:320px">${consoleBlock(right, rightTitle)}</div></div>`;
}

export { escapeHtml };
