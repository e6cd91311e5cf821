// What the built tutorial (build/tutorial/) depends on, as one hash: the notebooks, the compiled library
// (dist/**/*.js, tests excluded; the browser bundle is built from the same sources) and the scripts
// that build the site. scripts/tutorial.ts writes it to
// build/tutorial/build-info.json; lib/site.test.ts rebuilds the site when it differs. A content hash
// rather than file times, because `npm run build` (tsc) rewrites every file in dist/ on every build.
'use strict';
const { createHash } = require('node:crypto');
const { existsSync, readdirSync, readFileSync, statSync } = require('node:fs');
const { join, relative } = require('node:path');

const root = join(__dirname, '..');

function files(dir, keep) {
  const out = [];
  if (!existsSync(dir)) return out;
  (function walk(d) {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (keep(name)) out.push(path);
    }
  })(dir);
  return out;
}

/** sha256 over the relative path and content of every input file. */
function tutorialInputsHash() {
  const inputs = [
    ...readdirSync(join(root, 'notebooks')).filter((n) => n.endsWith('.ipynb')).sort().map((n) => join(root, 'notebooks', n)),
    ...files(join(root, 'dist'), (n) => n.endsWith('.js') && !n.endsWith('.test.js')),
    ...['tutorial.ts', 'tutorial.css', 'tutorial-inputs.js', 'run_notebooks.py', 'tutorial-panels.ts', 'build-web.js', 'measure-pages.js'].map((n) => join(root, 'scripts', n)),
  ];
  const hash = createHash('sha256');
  for (const path of inputs) {
    hash.update(relative(root, path) + '\0');
    hash.update(readFileSync(path));
    hash.update('\0');
  }
  return hash.digest('hex');
}

module.exports = { tutorialInputsHash };
