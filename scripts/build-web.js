#!/usr/bin/env node
// Builds the library for browsers: lib/web/entry.ts bundled by esbuild into build/web/anycast-lab.js,
// one minified script that sets the global `AnycastLab` (browserApi over the labs of data/labs/,
// embedded as text). The page asks the network for nothing: the labs and the code are in the file.
//
// What Node has and a browser has not:
// - `node:*` modules: the bundle gets a stand-in per module, with the names the library imports from
//   it, each throwing "not in a browser" if called. Only the disk-, thread- and terminal-side code
//   calls them (loadLab of a folder, sweeps, the real lab, the CLI), never browserApi.
// - `Buffer` (dns-packet writes DNS wire format with it): the `buffer` package, the one browserify
//   and webpack's fallbacks use, injected where the code names the global.
//
// Usage: node scripts/build-web.js [--out DIR] [--all-labs]   (default build/web); prints the bundle's size.
'use strict';
const { readdirSync, readFileSync, statSync, mkdirSync, writeFileSync } = require('node:fs');
const { dirname, join, relative } = require('node:path');

const ROOT = join(__dirname, '..');
const LIMIT_BYTES = 1_000_000; // the live tutorial's budget: the bundle ≤ 1 MB minified

/**
 * The labs the pages run: the write-up's lab and its two variants (chapters 1–7 and the simulation
 * mode). The feature labs of chapter 8 are compared with saved real-FRR records, which stay out of
 * the page, so they are left out too (about 34 kB of the 1 MB); `--all-labs` embeds every lab of
 * data/labs/.
 */
const PAGE_LABS = ['anycast', 'anycast-3site', 'anycast-asym'];

function labTexts(allLabs) {
  const labsDir = join(ROOT, 'data', 'labs');
  const labs = {};
  for (const name of readdirSync(labsDir).sort()) {
    const dir = join(labsDir, name);
    if (!statSync(dir).isDirectory() || (!allLabs && !PAGE_LABS.includes(name))) continue;
    const files = {};
    const walk = (d) => {
      for (const f of readdirSync(d).sort()) {
        const abs = join(d, f);
        // What loading a lab reads, only: not its README, its experiment files (a sweep reads those
        // from disk) or the outputs of real runs kept beside it (data/labs/*/real-*).
        if (d === dir && (f === 'README.md' || f === 'experiments' || f.startsWith('real-'))) continue;
        if (statSync(abs).isDirectory()) walk(abs);
        else files[relative(dir, abs).split('\\').join('/')] = readFileSync(abs, 'utf8');
      }
    };
    walk(dir);
    labs[name] = files;
  }
  return labs;
}

/** The text of every source file of the library (the .ts files under lib/, tests excluded), by path. */
function librarySources() {
  const texts = new Map();
  const walk = (d) => {
    for (const f of readdirSync(d).sort()) {
      const abs = join(d, f);
      if (statSync(abs).isDirectory()) walk(abs);
      else if (f.endsWith('.ts') && !f.endsWith('.test.ts')) texts.set(abs, readFileSync(abs, 'utf8'));
    }
  };
  walk(join(ROOT, 'lib'));
  return texts;
}

/** The value names (not `type` ones) a source imports in braces from modules matching `from`: [module, name] pairs. */
function namedImports(text, from) {
  const out = [];
  for (const m of text.matchAll(new RegExp(`import\\s+(?:type\\s+)?\\{([^}]*)\\}\\s+from\\s+'(${from})'`, 'g'))) {
    for (const part of m[1].split(',')) {
      const n = part.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0];
      if (n !== '' && !part.trim().startsWith('type ')) out.push([m[2], n]);
    }
  }
  return out;
}

/** Every name the library's sources import from each `node:` module (tests excluded). */
function nodeImports() {
  const names = new Map();
  for (const text of librarySources().values()) {
    for (const m of text.matchAll(/import\s+(?:type\s+)?\{[^}]*\}\s+from\s+'node:([a-z0-9_/]+)'/g)) names.set(m[1], names.get(m[1]) ?? new Set());
    for (const [module, n] of namedImports(text, 'node:[a-z0-9_/]+')) names.get(module.slice(5)).add(n);
    for (const m of text.matchAll(/import\s+(\w+)\s+from\s+'node:([a-z0-9_/]+)'/g)) names.set(m[2], names.get(m[2]) ?? new Set());
  }
  return names;
}

/** lib/plot's server-side DOM, in a browser: the page's document. */
const pageDocument = {
  name: 'page-document',
  setup(build) {
    build.onResolve({ filter: /^linkedom$/ }, () => ({ path: 'linkedom', namespace: 'page-document' }));
    build.onLoad({ filter: /.*/, namespace: 'page-document' }, () => ({
      contents: "export function parseHTML() { if (typeof document === 'undefined') throw new Error('figures are drawn in the page, not in a worker'); return { document }; }",
      loader: 'js',
    }));
  },
};

/**
 * Plot's map projections (d3-geo), Voronoi marks (d3-delaunay) and tree marks (d3-hierarchy), left
 * out: no figure of lib/plot draws a map, a Voronoi diagram or a tree, and they are about 60 kB of
 * the 1 MB. Plot only calls them when a figure asks for a projection or such a mark, and then the
 * stand-in says what is missing.
 */
const LEFT_OUT = ['d3-geo', 'd3-delaunay', 'd3-hierarchy'];
/** What Plot calls when it loads (src/projection.js reflectY): kept, from the module's own ES build. */
const KEPT = { 'd3-geo': ['geoTransform'] };
const leftOut = {
  name: 'left-out',
  setup(build) {
    build.onResolve({ filter: new RegExp(`^(${LEFT_OUT.join('|')})$`) }, (args) => ({ path: args.path, namespace: 'left-out' }));
    build.onLoad({ filter: /.*/, namespace: 'left-out' }, (args) => {
      const names = Object.keys(require(args.path));
      const kept = KEPT[args.path] ?? [];
      const lines = [`const missing = (name) => function () { throw new Error(\`\${name}: ${args.path} is not in the page bundle (scripts/build-web.js LEFT_OUT)\`); };`];
      if (kept.length > 0) lines.push(`export { ${kept.join(', ')} } from ${JSON.stringify(require.resolve(args.path).replace(/\.js$/, '.mjs'))};`);
      for (const n of names) if (!kept.includes(n)) lines.push(`export const ${n} = missing('${n}');`);
      return { contents: lines.join('\n'), loader: 'js', resolveDir: ROOT };
    });
  },
};

/**
 * Observable Plot, only the functions lib/plot calls. lib/plot/draw.ts imports Plot as a namespace
 * and re-exports it, so esbuild cannot tell which of Plot's ~200 exports are used and keeps every
 * mark (waffle, raster, contour, tree, auto…): about 60 kB of the 1 MB. The page gets a module
 * with the names lib/'s sources call as `Plot.name` (found in the text, as nodeImports finds the
 * node: names), each re-exported from the file of Plot's src/index.js that defines it; a name
 * lib/ calls that Plot does not export fails the build here, not the page.
 */
function plotSubset() {
  const calls = new Set();
  for (const text of librarySources().values()) for (const m of text.matchAll(/\bPlot\.([a-z]\w*)\b/g)) calls.add(m[1]);
  const index = require.resolve('@observablehq/plot');
  const fileOf = new Map();
  for (const m of readFileSync(index, 'utf8').matchAll(/export\s*\{([^}]*)\}\s*from\s*"([^"]+)"/g)) {
    for (const part of m[1].split(',')) {
      const [name, alias] = part.trim().split(/\s+as\s+/);
      if (name !== '') fileOf.set(alias ?? name, { file: m[2], name });
    }
  }
  const lines = [];
  for (const name of [...calls].sort()) {
    const at = fileOf.get(name);
    if (at === undefined) throw new Error(`lib/ calls Plot.${name}, which @observablehq/plot's ${relative(ROOT, index)} does not export`);
    lines.push(`export { ${at.name === name ? name : `${at.name} as ${name}`} } from ${JSON.stringify(join(dirname(index), at.file))};`);
  }
  return {
    name: 'plot-subset',
    setup(build) {
      build.onResolve({ filter: /^@observablehq\/plot$/ }, () => ({ path: 'plot', namespace: 'plot-subset' }));
      build.onLoad({ filter: /.*/, namespace: 'plot-subset' }, () => ({ contents: lines.join('\n'), loader: 'js', resolveDir: ROOT }));
    },
  };
}

/** A key for a text (FNV-1a, 32 bits, and its length): the same function runs here and in the page. */
function textKey(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return `${h.toString(36)}.${text.length}`;
}

/**
 * The embedded labs' YAML, parsed here. The page reads one kind of YAML, the labs' own topology
 * files (the config editor edits device configurations, `.cfg`/`.conf`, never the topology), so the
 * `yaml` package (about 95 kB of the 1 MB) stays out: each topology is parsed now by `yaml` itself
 * and embedded as its tree (maps, sequences, scalars with their value, source text and offset:
 * what lib/config/topology reads), and the page's `yaml` is a stand-in with the functions
 * lib/config/topology imports, serving those trees. A text it was not given is refused with a
 * message, never misread.
 */
function preparsedYaml(labs) {
  const YAML = require('yaml');
  const docs = {};
  const tree = (node) => {
    if (node === null || node === undefined) return null;
    const at = node.range?.[0] ?? 0;
    if (YAML.isMap(node)) return { m: node.items.map((p) => [tree(p.key), tree(p.value)]), r: at };
    if (YAML.isSeq(node)) return { q: node.items.map(tree), r: at };
    if (YAML.isScalar(node)) return { v: node.value, ...(node.source === undefined ? {} : { s: node.source }), r: at };
    throw new Error(`build-web: a YAML node the page's stand-in cannot hold (${node.constructor?.name})`);
  };
  for (const [lab, files] of Object.entries(labs)) {
    for (const [path, text] of Object.entries(files)) {
      if (!/\.ya?ml$/.test(path)) continue;
      const doc = YAML.parseDocument(text, { uniqueKeys: true, prettyErrors: false });
      if (doc.errors.length > 0) throw new Error(`data/labs/${lab}/${path}: not valid YAML: ${doc.errors[0].message.split('\n')[0]}`);
      docs[textKey(text)] = tree(doc.contents);
    }
  }
  // What lib/'s sources import from 'yaml' in the bundle: lib/config/topology only (lib/sweep's
  // experiment files are read by the command line). A new name fails the build here.
  const SERVED = ['isMap', 'isSeq', 'isScalar', 'LineCounter', 'parseDocument'];
  const contents = `
const DOCS = ${JSON.stringify(docs)};
const textKey = ${textKey.toString()};
const KIND = Symbol('yaml node');
class YAMLMap { constructor(t) { this[KIND] = 'map'; this.range = [t.r, t.r, t.r]; this.items = t.m.map(([k, v]) => new Pair(node(k), node(v))); } }
class YAMLSeq { constructor(t) { this[KIND] = 'seq'; this.range = [t.r, t.r, t.r]; this.items = t.q.map(node); } }
class Scalar { constructor(t) { this[KIND] = 'scalar'; this.range = [t.r, t.r, t.r]; this.value = t.v; if (t.s !== undefined) this.source = t.s; } }
class Pair { constructor(key, value) { this.key = key; this.value = value; } }
function node(t) { return t === null ? null : 'm' in t ? new YAMLMap(t) : 'q' in t ? new YAMLSeq(t) : new Scalar(t); }
export const isMap = (n) => n != null && n[KIND] === 'map';
export const isSeq = (n) => n != null && n[KIND] === 'seq';
export const isScalar = (n) => n != null && n[KIND] === 'scalar';
export class LineCounter {
  constructor() { this.lineStarts = [0]; }
  linePos(offset) {
    let lo = 0, hi = this.lineStarts.length;
    while (lo + 1 < hi) { const mid = (lo + hi) >> 1; if (this.lineStarts[mid] <= offset) lo = mid; else hi = mid; }
    return { line: lo + 1, col: offset - this.lineStarts[lo] + 1 };
  }
}
export function parseDocument(text, options = {}) {
  const t = DOCS[textKey(text)];
  if (t === undefined) throw new Error('this page reads only the YAML of its own labs, parsed when the page was built (scripts/build-web.js preparsedYaml): edit a topology file with the command line instead');
  const lc = options.lineCounter;
  if (lc !== undefined) for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lc.lineStarts.push(i + 1);
  return { errors: [], warnings: [], contents: node(t) };
}
`;
  return {
    name: 'preparsed-yaml',
    setup(build) {
      build.onResolve({ filter: /^yaml$/ }, (args) => {
        if (!args.importer.startsWith(join(ROOT, 'lib', 'config', 'topology'))) throw new Error(`${relative(ROOT, args.importer)} imports yaml: the page has only the stand-in for lib/config/topology (scripts/build-web.js preparsedYaml)`);
        for (const [, n] of namedImports(readFileSync(args.importer, 'utf8'), 'yaml')) {
          if (!SERVED.includes(n)) throw new Error(`${relative(ROOT, args.importer)} imports ${n} from yaml, which the page's stand-in does not serve (scripts/build-web.js preparsedYaml)`);
        }
        return { path: 'yaml', namespace: 'preparsed-yaml' };
      });
      build.onLoad({ filter: /.*/, namespace: 'preparsed-yaml' }, () => ({ contents, loader: 'js' }));
    },
  };
}
/**
 * The library's lazy loads, `require('./x') as typeof import('./x')` inside a function (a module
 * that only some runs need, so Node does not load it at start-up: lib/lab/lab.ts, lib/measure),
 * as static imports: the page parses its one file at once, so loading later saves it nothing, and
 * esbuild would wrap every module such a require reaches in a lazy initializer (12 kB of the 1 MB).
 */
const LAZY_REQUIRE = /require\('([^']+)'\) as typeof import\('\1'\)/g;
const lazyAsStatic = {
  name: 'lazy-as-static',
  setup(build) {
    build.onLoad({ filter: /[\\/]lib[\\/].*\.ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes(' as typeof import(')) return undefined;
      const names = new Map();
      const contents = text.replace(LAZY_REQUIRE, (_, path) => {
        if (!names.has(path)) names.set(path, `__lazy${names.size}`);
        return names.get(path);
      });
      if (names.size === 0) return undefined;
      const imports = [...names].map(([path, name]) => `import * as ${name} from '${path}';`).join('\n');
      return { contents: `${imports}\n${contents}`, loader: 'ts' };
    });
  },
};

function nodeStandIns(names) {
  return {
    name: 'node-stand-ins',
    setup(build) {
      build.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path.slice(5), namespace: 'node-stand-in' }));
      build.onLoad({ filter: /.*/, namespace: 'node-stand-in' }, (args) => {
        const lines = [`const missing = (name) => () => { throw new Error(\`\${name}: node:${args.path} is not in a browser\`); };`];
        for (const n of names.get(args.path) ?? []) {
          // util.inspect.custom is read when a class is defined (lib/config/api-error.ts): give the symbol Node uses.
          if (args.path === 'util' && n === 'inspect') lines.push(`export const inspect = Object.assign(missing('inspect'), { custom: Symbol.for('nodejs.util.inspect.custom') });`);
          else lines.push(`export const ${n} = missing('${n}');`);
        }
        lines.push('export default {};');
        return { contents: lines.join('\n'), loader: 'js' };
      });
    },
  };
}

async function main() {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf('--out');
  const outDir = outIndex >= 0 ? args[outIndex + 1] : join(ROOT, 'build', 'web');
  if (outDir === undefined) throw new Error('--out needs a folder');
  const esbuild = require('esbuild');
  mkdirSync(outDir, { recursive: true });
  const shimDir = join(ROOT, 'build', 'web-shims');
  mkdirSync(shimDir, { recursive: true });
  writeFileSync(join(shimDir, 'buffer.js'), "export { Buffer } from 'buffer';\n");
  const outfile = join(outDir, 'anycast-lab.js');
  const labs = labTexts(args.includes('--all-labs'));
  const result = await esbuild.build({
    stdin: {
      contents: `import { startBundle } from './lib/web/main';\nstartBundle(${JSON.stringify(labs)});\n`,
      resolveDir: ROOT,
      sourcefile: 'anycast-lab-web.ts',
      loader: 'ts',
    },
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: ['es2022'],
    minify: true,
    legalComments: 'eof',
    inject: [join(shimDir, 'buffer.js')],
    plugins: [pageDocument, leftOut, lazyAsStatic, plotSubset(), preparsedYaml(labs), nodeStandIns(nodeImports())],
    outfile,
    metafile: true,
    logLevel: 'warning',
  });
  writeFileSync(outfile, `(function anycastLabBundle(){\n${readFileSync(outfile, 'utf8')}})();\n`);
  const bytes = statSync(outfile).size;
  console.log(`${relative(process.cwd(), outfile)}: ${(bytes / 1024).toFixed(0)} KiB minified (budget ${LIMIT_BYTES / 1000} kB)`);
  writeFileSync(join(outDir, 'meta.json'), JSON.stringify(result.metafile));
  if (bytes > LIMIT_BYTES) {
    console.error(`build-web: the bundle is ${bytes} bytes, over the ${LIMIT_BYTES}-byte budget: see ${join(outDir, 'meta.json')} (esbuild's analyzer) for what grew`);
    process.exit(1);
  }
}

main().catch((e) => {
  console.error(`build-web: ${e.message}`);
  process.exit(1);
});
