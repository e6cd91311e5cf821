// Executes every notebooks/*.ipynb with the tslab kernel from .venv (through scripts/run_notebooks.py
// and nbclient), writing the executed copies to a temporary folder: the sources stay untouched.
// A notebook passes when every cell runs and its output contains each string listed for it below.
// Then: the committed notebooks carry no outputs; in a fresh clone (and a worktree of it) with setup's
// git filter, an executed notebook on disk reads as unchanged to git; and a library error shows its
// message first in a cell's output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';

/** Text each notebook must print or display (stdout, text/plain, text/html). Edit freely. */
const EXPECTED: Record<string, string[]> = {
  '02-dns.ipynb': ['IN\tPTR\tr1.home.', "** server can't find www.example.com: REFUSED", 'Standard query A r1.home', '08 00 27 a9 51 1d cc 03 18 19 00 01 08 00 45 00'],
  '03-failover-problem.ipynb': ['Destination unreachable (Port unreachable)', 'Server:\t\t10.128.6.2', '<svg'],
  '04-anycast.ipynb': ['icmp_seq=1 ttl=63', 'From 10.128.7.1 icmp_seq=', 'ttl=60 time=', 'halted at 2m5s: 241 s without a reply', 'test = 10.128.2.2', '<svg'],
  '05-debugging.ipynb': [';; connection timed out; no servers could be reached', 'Name:\tr1.home', '10.128.244.2', 'network lo:0'],
  '06-what-if.ipynb': ['timers basic 5 15 15 20: median', 'rip_bfd_session_change: peer 10.14.1.2: BFD Down', 'no health check: 20 of 20 runs got no answer in the 120 s after named stopped', 'xenial1 → xenial5', 'anycast: nameserver 10.128.224.2', '<svg'],
  '07-real-vs-sim.ipynb': ['timers basic 5 15 10', 'ripd ran (r1, show ip rip status): Sending updates every 30 seconds', 'FRR default timers: real outages ', '52 of 52 routes identical in the simulated and the real tables', 'comparisons agree', 'not measuring: ANYCAST_LAB_REAL is not 1', '<svg'],
  '08-features-vs-frr.ipynb': ['outputs identical to real FRR 8.4', 'feature-statics r1: show ip rip (real FRR 8.4.4', '10.51.0.0/16       blackhole', 'saved records: feature-ecmp (4 routers)'],
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

/** The executed copies (.ipynb text) of the notebooks that ran, for the git filter test. */
const executed = new Map<string, string>();

function runNotebook(name: string, from = notebookDir): NotebookResult {
  assert.ok(existsSync(python), `${python} is missing: run \`npm run setup\` to create the Python venv and tslab kernel`);
  const dir = mkdtempSync(join(tmpdir(), 'anycast-lab-nb-'));
  try {
    const summary = join(dir, 'summary.json');
    const run = spawnSync(
      python,
      [runner, join(from, name), '--to', 'ipynb', '--out-dir', dir, '--summary', summary, '--timeout', String(CELL_TIMEOUT_S)],
      { cwd: root, encoding: 'utf8' },
    );
    assert.ok(!run.error, `could not start ${python}: ${run.error?.message}; run \`npm run setup\``);
    assert.notEqual(run.status, 2, `notebook runner could not start (run \`npm run setup\`):\n${run.stderr}`);
    assert.ok(existsSync(summary), `notebook runner exited with ${run.status ?? run.signal} and wrote no results:\n${run.stderr}`);
    const [result] = JSON.parse(readFileSync(summary, 'utf8')) as NotebookResult[];
    assert.ok(result, 'notebook runner returned no result');
    if (existsSync(join(dir, name))) executed.set(name, readFileSync(join(dir, name), 'utf8'));
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

interface Notebook {
  cells: { cell_type: string; outputs?: unknown[]; execution_count?: number | null }[];
}
const outputsOf = (text: string) => (JSON.parse(text) as Notebook).cells.filter((c) => c.cell_type === 'code' && ((c.outputs ?? []).length > 0 || c.execution_count != null)).length;

test('committed notebooks have no outputs and no execution counts', () => {
  for (const name of notebooks) assert.equal(outputsOf(readFileSync(join(notebookDir, name), 'utf8')), 0, `notebooks/${name} has code cells with outputs or execution counts`);
});

function git(cwd: string, args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', '-c', 'core.hooksPath=/dev/null', ...args], { cwd, encoding: 'utf8', input });
  assert.ok(!r.error, `git ${args.join(' ')}: ${r.error?.message}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** setup's git-filter step in `checkout` (its .venv linked to ours), then an executed chapter 6 on disk. */
function checkFilter(checkout: string, ran: string, everyNotebook: boolean): void {
  symlinkSync(join(root, '.venv'), join(checkout, '.venv'));
  const setup = spawnSync('bash', [join(checkout, 'scripts', 'setup.sh'), 'git-filter'], { cwd: checkout, encoding: 'utf8' });
  assert.equal(setup.status, 0, `setup.sh git-filter in ${checkout}:\n${setup.stdout}${setup.stderr}`);
  assert.match(setup.stdout, /^git filter nbstripout: ".*\/\.venv\/bin\/python" -m nbstripout --keep-id \(for \*\.ipynb, from \.gitattributes\)$/m);
  assert.equal(git(checkout, ['check-attr', 'filter', 'diff', '--', 'notebooks/06-what-if.ipynb']).stdout, 'notebooks/06-what-if.ipynb: filter: nbstripout\nnotebooks/06-what-if.ipynb: diff: ipynb\n');
  // Every committed notebook reads back through the filter as it is stored: no phantom changes.
  const clean = git(checkout, ['config', 'filter.nbstripout.clean']).stdout.trim();
  for (const name of everyNotebook ? notebooks : []) {
    const file = join(checkout, 'notebooks', name);
    const through = spawnSync('sh', ['-c', `${clean} < "$1"`, 'sh', file], { encoding: 'utf8' });
    assert.equal(through.stdout, readFileSync(file, 'utf8'), `notebooks/${name} is not as the nbstripout filter writes it: run \`git add --renormalize notebooks\` with the filter set up`);
  }
  const nb = join(checkout, 'notebooks', '06-what-if.ipynb');
  writeFileSync(nb, ran);
  assert.ok(outputsOf(readFileSync(nb, 'utf8')) > 0, 'the executed chapter 6 has outputs');
  const diff = git(checkout, ['diff', '--exit-code', '--stat']);
  assert.equal(diff.status, 0, `git diff sees the outputs:\n${diff.stdout}${diff.stderr}`);
  assert.equal(git(checkout, ['add', 'notebooks']).status, 0);
  const cached = git(checkout, ['diff', '--cached', '--exit-code', '--stat']);
  assert.equal(cached.status, 0, `git add stored the outputs:\n${cached.stdout}`);
  assert.equal(git(checkout, ['status', '--porcelain', '--untracked-files=no']).stdout, '', 'git status after git add');
  assert.equal(outputsOf(git(checkout, ['show', ':notebooks/06-what-if.ipynb']).stdout), 0, 'the index holds outputs');
  assert.ok(outputsOf(readFileSync(nb, 'utf8')) > 0, 'the outputs stay on disk');
}

test('git filter: in a fresh clone and in a worktree of it, an executed notebook stays out of git', { timeout: 120_000 }, (t) => {
  if (git(root, ['rev-parse', '--is-inside-work-tree']).stdout.trim() !== 'true') return t.skip('not a git checkout');
  let ran = executed.get('06-what-if.ipynb');
  if (ran === undefined) {
    // Chapter 6 did not run in this process (a filtered run): fake its outputs.
    const nb = JSON.parse(readFileSync(join(notebookDir, '06-what-if.ipynb'), 'utf8')) as Notebook;
    nb.cells.forEach((c, i) => {
      if (c.cell_type === 'code') Object.assign(c, { execution_count: i, outputs: [{ output_type: 'stream', name: 'stdout', text: ['ran\n'] }] });
    });
    ran = JSON.stringify(nb, null, 1);
  }
  const tmp = mkdtempSync(join(tmpdir(), 'anycast-lab-clone-'));
  try {
    const clone = join(tmp, 'clone');
    assert.equal(git(tmp, ['clone', '--quiet', root, clone]).status, 0);
    // The clone has the last commit; bring in the working tree's versions of what is tested.
    for (const f of ['.gitattributes', 'scripts/setup.sh', ...notebooks.map((n) => `notebooks/${n}`)]) copyFileSync(join(root, f), join(clone, f));
    git(clone, ['commit', '--quiet', '--allow-empty', '-am', 'working tree']);
    assert.equal(git(clone, ['config', '--get', 'filter.nbstripout.clean']).status, 1, 'a fresh clone has no filter configured');
    checkFilter(clone, ran, true);
    const worktree = join(tmp, 'worktree');
    assert.equal(git(clone, ['worktree', 'add', '--quiet', '-b', 'other', worktree]).status, 0);
    assert.ok(readFileSync(join(worktree, '.git'), 'utf8').startsWith('gitdir: '), '.git is a file in a worktree');
    checkFilter(worktree, ran, false);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('a library error shows its message first in a notebook cell (no compiled source line or caret)', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'anycast-lab-nb-error-'));
  try {
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(root, join(dir, 'node_modules', 'anycast-lab'));
    const cell = (source: string) => ({ cell_type: 'code', execution_count: null, id: `c${source.length}`, metadata: {}, outputs: [], source });
    const nb = JSON.parse(readFileSync(join(notebookDir, '01-network.ipynb'), 'utf8')) as Record<string, unknown>;
    nb['cells'] = [cell('import { Lab, labPath } from "anycast-lab";\nconst lab = Lab.load(labPath("anycast"));\nlab.fail("xenial9:halt@1s");')];
    writeFileSync(join(dir, 'error.ipynb'), JSON.stringify(nb));
    const result = runNotebook('error.ipynb', dir);
    assert.ok(result.error !== null, 'the cell should have failed');
    const lines = result.error.message.split('\n');
    assert.equal(lines[0], 'FailureError: failure xenial9:halt@1s: no node "xenial9" in lab anycast (nodes: r1, r2, r3, r4, xenial1, xenial2, xenial3, xenial4)');
    assert.ok(lines.slice(1).every((l) => /^\s+at /.test(l)), result.error.message);
    assert.doesNotMatch(result.error.message, /--fail|\^|evalmachine|tslab/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
