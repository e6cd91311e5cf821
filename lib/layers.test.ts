// The house's rules, read from the source (../shared/DESIGN.md §2): folders are layers and imports only
// point down; a few layers may import only some of those below them; no file is too long to read, no
// function too long to follow; and only the layers that deal with the outside world read files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const LIB = join(__dirname, '..', 'lib');

/** Layers from the bottom up; a file may import its own layer and those with a lower rank. */
const RANK: Readonly<Record<string, number>> = {
  sim: 0,
  wire: 1,
  proto: 2,
  net: 3,
  config: 4,
  results: 5,
  lab: 6,
  measure: 7,
  sweep: 8,
  plot: 9,
  real: 9,
  web: 10,
  cli: 11,
  // lib/index.ts and the tests beside it (the whole product seen from outside).
  '.': 12,
};

/** Layers that may import only some of those below them. */
const ONLY: Readonly<Record<string, readonly string[]>> = {
  // A figure is drawn from rows (and the topology figure from the LabSpec), never from a running lab.
  plot: ['sim', 'wire', 'config', 'results'],
  // The real lab is configured from a LabSpec and measured in the simulator's row formats; it never
  // builds a simulated Lab.
  real: ['sim', 'wire', 'proto', 'config', 'results'],
};


/** Layers whose files may read or write files (the outside world's edge). */
const READS_FILES = new Set(['config', 'real', 'cli', 'sweep']);

const MAX_FILE_LINES = 700;
const MAX_FUNCTION_LINES = 200;

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'golden') sourceFiles(path, out);
    } else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const isTest = (file: string): boolean => file.endsWith('.test.ts') || file.endsWith('test-support.ts');

function layerOf(file: string): string {
  const rel = relative(LIB, file);
  const first = rel.split('/')[0]!;
  return rel.includes('/') ? first : '.';
}

interface ImportLine {
  spec: string;
  line: number;
}

function importsOf(file: string, text: string): ImportLine[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const found: ImportLine[] = [];
  const visit = (node: ts.Node): void => {
    let spec: ts.Expression | undefined;
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier !== undefined) spec = node.moduleSpecifier;
    else if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) spec = node.arguments[0];
    if (spec !== undefined && ts.isStringLiteral(spec)) found.push({ spec: spec.text, line: source.getLineAndCharacterOfPosition(spec.getStart()).line + 1 });
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function importedLayer(file: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const target = resolve(dirname(file), spec);
  if (relative(LIB, target).startsWith('..')) return null;
  const rel = relative(LIB, target);
  return rel.includes('/') ? rel.split('/')[0]! : statSafe(join(LIB, rel)) ? rel : '.';
}

function statSafe(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

const files = sourceFiles(LIB);


test('layers: every import points down, and plot and real import only what they may', () => {
  const wrong: string[] = [];
  for (const file of files) {
    if (isTest(file)) continue;
    const from = layerOf(file);
    assert.ok(from in RANK, `${relative(LIB, file)}: lib/${from}/ is no layer of DESIGN.md §2; add it to RANK`);
    for (const { spec, line } of importsOf(file, readFileSync(file, 'utf8'))) {
      const to = importedLayer(file, spec);
      if (to === null || to === from) continue;
      assert.ok(to in RANK, `${relative(LIB, file)}:${line}: imports lib/${to}/, which is no layer`);
      const allowed = ONLY[from];
      if (allowed !== undefined ? !allowed.includes(to) : RANK[to]! >= RANK[from]!) wrong.push(`lib/${relative(LIB, file)}:${line}: ${from} imports ${to} ('${spec}')`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('layers: the checker sees a wrong import (a file of lib/sim importing lib/wire)', () => {
  const fake = join(LIB, 'sim', 'fake.ts');
  const imports = importsOf(fake, "import { x } from '../wire/addr';\nconst y = require('../net');\n");
  assert.deepEqual(imports.map((i) => importedLayer(fake, i.spec)), ['wire', 'net']);
  assert.ok(RANK['wire']! > RANK['sim']!);
});

test('sizes: no file over 700 non-blank lines, no function over 200 lines', () => {
  const tooLong: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n').filter((l) => l.trim() !== '').length;
    if (!isTest(file) && lines > MAX_FILE_LINES) tooLong.push(`lib/${relative(LIB, file)}: ${lines} non-blank lines`);
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
        const start = source.getLineAndCharacterOfPosition(node.getStart()).line;
        const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
        // A test's body is a scenario read top to bottom; the rule is for the code it tests.
        const isTestCallback = isTest(file) && ts.isCallExpression(node.parent);
        if (!isTestCallback && end - start + 1 > MAX_FUNCTION_LINES) tooLong.push(`lib/${relative(LIB, file)}:${start + 1}: a function of ${end - start + 1} lines`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  assert.deepEqual(tooLong, []);
});

test('files: only config, real, cli and sweep read or write files', () => {
  const readers: string[] = [];
  for (const file of files) {
    if (isTest(file) || READS_FILES.has(layerOf(file))) continue;
    for (const { spec, line } of importsOf(file, readFileSync(file, 'utf8'))) {
      if (spec === 'fs' || spec === 'node:fs' || spec === 'fs/promises' || spec === 'node:fs/promises') readers.push(`lib/${relative(LIB, file)}:${line}`);
    }
  }
  assert.deepEqual(readers, []);
});
