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
const { join, relative } = require('node:path');

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

/** Every name the library's sources import from each `node:` module (tests excluded). */
function nodeImports() {
  const names = new Map();
  const walk = (d) => {
    for (const f of readdirSync(d)) {
      const abs = join(d, f);
      if (statSync(abs).isDirectory()) walk(abs);
      else if (f.endsWith('.ts') && !f.endsWith('.test.ts')) {
        const text = readFileSync(abs, 'utf8');
        for (const m of text.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'node:([a-z_/]+)'/g)) {
          const set = names.get(m[2]) ?? new Set();
          for (const part of m[1].split(',')) {
            const n = part.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0];
            if (n !== '' && !part.trim().startsWith('type ')) set.add(n);
          }
          names.set(m[2], set);
        }
        for (const m of text.matchAll(/import\s+(\w+)\s+from\s+'node:([a-z_/]+)'/g)) names.set(m[2], names.get(m[2]) ?? new Set());
      }
    }
  };
  walk(join(ROOT, 'lib'));
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
  const result = await esbuild.build({
    stdin: {
      contents: `import { startBundle } from './lib/web/main';\nstartBundle(${JSON.stringify(labTexts(args.includes('--all-labs')))});\n`,
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
    plugins: [pageDocument, leftOut, lazyAsStatic, nodeStandIns(nodeImports())],
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
