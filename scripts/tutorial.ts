// `npm run tutorial`: executes every notebooks/*.ipynb in order with the tslab kernel and writes the
// executed chapters as HTML to build/tutorial/, with an index.html linking them. The notebooks in
// notebooks/ are only read: their executed outputs go to build/ and nowhere else.
//
// Exit status: 0 when every cell ran; 1 naming the notebook and cell when one failed (the other
// chapters still run, and the failed chapter's HTML shows where it stopped); 2 when set-up is missing.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';

interface ChapterResult {
  notebook: string;
  title: string;
  seconds: number;
  output: string;
  error: null | { cell: number; source: string; message: string };
}

const root = resolve(__dirname, '..');
const python = join(root, '.venv', 'bin', 'python');
const outDir = join(root, 'build', 'tutorial');
const summaryFile = join(root, 'build', 'tutorial-summary.json');

function die(message: string, status: number): never {
  console.error(`tutorial: ${message}`);
  process.exit(status);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

function printTable(results: ChapterResult[], totalSeconds: number): void {
  const rows = results.map((r) => [
    relative(join(root, 'notebooks'), resolve(root, r.notebook)),
    r.title,
    r.seconds.toFixed(1),
    r.error === null ? 'ok' : `FAILED (cell ${r.error.cell})`,
  ]);
  rows.push(['total', '', totalSeconds.toFixed(1), '']);
  const header = ['chapter', 'title', 'seconds', 'status'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (row: string[]): string => row.map((cell, i) => pad(cell, widths[i]!, i === 2)).join('  ').trimEnd();
  console.log();
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  rows.forEach((row, i) => {
    if (i === rows.length - 1) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    console.log(line(row));
  });
}

function writeIndex(results: ChapterResult[]): void {
  const items = results
    .map((r) => {
      const name = relative(join(root, 'notebooks'), resolve(root, r.notebook)).replace(/\.ipynb$/, '');
      const status = r.error === null ? '' : ` <strong class="failed">failed at cell ${r.error.cell}</strong>`;
      return `    <li><a href="${escapeHtml(encodeURIComponent(name))}.html">${escapeHtml(r.title)}</a>${status}</li>`;
    })
    .join('\n');
  const html = `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>anycast-lab: tutorial</title>
  <style>
    body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5; }
    li { margin: 0.4rem 0; }
    .failed { color: #b00020; }
    footer { color: #666; font-size: 0.85rem; margin-top: 2rem; }
  </style>
</head>
<body>
  <h1>anycast-lab</h1>
  <p>Anycast DNS over RIP, simulated packet by packet. Chapters, executed by <code>npm run tutorial</code>:</p>
  <ol>
${items}
  </ol>
  <footer>Built ${escapeHtml(new Date().toISOString())}</footer>
</body>
</html>
`;
  writeFileSync(join(outDir, 'index.html'), html);
}

function main(): void {
  if (!existsSync(python)) die(`${python} is missing: run \`npm run setup\` first`, 2);
  const notebookDir = join(root, 'notebooks');
  const notebooks = readdirSync(notebookDir)
    .filter((name) => name.endsWith('.ipynb'))
    .sort()
    .map((name) => join('notebooks', name));
  if (notebooks.length === 0) die('no notebooks found in notebooks/', 2);

  rmSync(outDir, { recursive: true, force: true }); // no stale chapters from renamed notebooks
  mkdirSync(outDir, { recursive: true });
  rmSync(summaryFile, { force: true });

  const started = process.hrtime.bigint();
  const run = spawnSync(
    python,
    [join(root, 'scripts', 'run_notebooks.py'), ...notebooks, '--to', 'html', '--out-dir', outDir, '--summary', summaryFile],
    { cwd: root, stdio: 'inherit' },
  );
  const totalSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (run.error) die(`could not start ${python}: ${run.error.message}`, 2);
  if (run.status === 2 || !existsSync(summaryFile)) die(`notebooks were not run (exit status ${run.status ?? run.signal})`, 2);

  const results = JSON.parse(readFileSync(summaryFile, 'utf8')) as ChapterResult[];
  writeIndex(results);
  printTable(results, totalSeconds);
  console.log(`\nwrote ${relative(process.cwd(), join(outDir, 'index.html'))}`);

  const failed = results.filter((r) => r.error !== null);
  for (const r of failed) {
    const error = r.error!;
    console.error(`\n${r.notebook}: cell ${error.cell} failed`);
    console.error('--- cell source ---');
    console.error(error.source);
    console.error('--- error ---');
    console.error(error.message);
  }
  if (failed.length > 0) die(`${failed.length} of ${results.length} notebooks failed: ${failed.map((r) => r.notebook).join(', ')}`, 1);
  if (run.status !== 0) die(`notebook runner exited with status ${run.status ?? run.signal}`, 1);
}

main();
