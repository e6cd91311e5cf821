// Executes every notebooks/*.ipynb with the tslab kernel from .venv (through scripts/run_notebooks.py
// and nbclient), writing the executed copies to a temporary folder: the sources stay untouched.
// A notebook passes when every cell runs and its output contains each string listed for it below.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';

/** Text each notebook must print or display (stdout, text/plain, text/html). Edit freely. */
const EXPECTED: Record<string, string[]> = {
  '02-dns.ipynb': ['IN\tPTR\tr1.home.', "** server can't find www.example.com: REFUSED", 'Standard query A r1.home', '08 00 27 a9 51 1d cc 03 18 19 00 01 08 00 45 00'],
  '03-failover-problem.ipynb': ['Destination unreachable (Port unreachable)', 'Server:\t\t10.128.6.2', '<svg'],
  '04-anycast.ipynb': ['icmp_seq=1 ttl=63', 'From 10.128.7.1 icmp_seq=', 'ttl=60 time=', 'halted at 2m5s: 241 s without a reply', 'test = 10.128.2.2', '<svg'],
  '05-debugging.ipynb': [';; connection timed out; no servers could be reached', 'Name:\tr1.home', '10.128.244.2', 'network lo:0'],
  '06-what-if.ipynb': ['timers basic 5 15 15 20: median', 'no health check: 20 of 20 runs got no answer in the 120 s after named stopped', 'xenial1 → xenial5', 'anycast: nameserver 10.128.224.2', '<svg'],
  '07-real-vs-sim.ipynb': ['timers basic 5 15 10', 'ripd ran (r1, show ip rip status): Sending updates every 30 seconds', 'FRR default timers: real outages ', '52 of 52 routes identical in the simulated and the real tables', 'comparisons agree', 'not measuring: ANYCAST_LAB_REAL is not 1', '<svg'],
  '01-network.ipynb': ['Success rate is 100 percent (5/5)', 'icmp_seq=1 ttl=63', 'From 10.128.7.2 icmp_seq=1 Destination Host Unreachable', '<svg'],
};

/** Seconds one cell may run before the notebook counts as failed. */
const CELL_TIMEOUT_S = 60;

const root = resolve(__dirname, '..');
const notebookDir = join(root, 'notebooks');
const python = join(root, '.venv', 'bin', 'python');
const runner = join(root, 'scripts', 'run_notebooks.py');

interface NotebookResult {
  notebook: string;
  title: string;
  seconds: number;
  output: string;
  error: null | { cell: number; source: string; message: string };
}

function runNotebook(name: string): NotebookResult {
  assert.ok(existsSync(python), `${python} is missing: run \`npm run setup\` to create the Python venv and tslab kernel`);
  const dir = mkdtempSync(join(tmpdir(), 'anycast-lab-nb-'));
  try {
    const summary = join(dir, 'summary.json');
    const run = spawnSync(
      python,
      [runner, join(notebookDir, name), '--to', 'ipynb', '--out-dir', dir, '--summary', summary, '--timeout', String(CELL_TIMEOUT_S)],
      { cwd: root, encoding: 'utf8' },
    );
    assert.ok(!run.error, `could not start ${python}: ${run.error?.message}; run \`npm run setup\``);
    assert.notEqual(run.status, 2, `notebook runner could not start (run \`npm run setup\`):\n${run.stderr}`);
    assert.ok(existsSync(summary), `notebook runner exited with ${run.status ?? run.signal} and wrote no results:\n${run.stderr}`);
    const [result] = JSON.parse(readFileSync(summary, 'utf8')) as NotebookResult[];
    assert.ok(result, 'notebook runner returned no result');
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const notebooks = readdirSync(notebookDir).filter((n) => n.endsWith('.ipynb')).sort();

test('every notebook named in EXPECTED exists', () => {
  for (const name of Object.keys(EXPECTED)) assert.ok(notebooks.includes(name), `notebooks/${name} not found`);
});

for (const name of notebooks) {
  test(`notebooks/${name} runs without errors`, { timeout: 5 * 60_000 }, () => {
    const result = runNotebook(name);
    if (result.error !== null) {
      const { cell, source, message } = result.error;
      assert.fail(`notebooks/${name}: cell ${cell} failed\n--- cell source ---\n${source}\n--- error ---\n${message}`);
    }
    for (const text of EXPECTED[name] ?? []) {
      assert.ok(result.output.includes(text), `notebooks/${name}: expected output to contain ${JSON.stringify(text)}`);
    }
  });
}
