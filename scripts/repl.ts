// `npm run repl`: a TypeScript REPL (ts-node, type-checked) with every export of the library in scope
// (the built one in dist/, which `npm run repl` builds first: the same code the notebooks import) and
// `lab`, the write-up's lab, loaded and booted. For quick questions without a notebook:
//
//   > console.log(lab.exec('r3', 'traceroute 10.128.4.2', { at: seconds(60) }))
//   > lab.runUntil(seconds(300)); lab.routes().filter(r => r.node === 'r1')
//   > console.log(new Lab(withRipProfile(loadLab(labPath('anycast')), 'frr')).exec('r1', 'show ip route', { at: seconds(60) }))
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { create, createRepl } from 'ts-node';

const root = resolve(__dirname, '..');
const dist = join(root, 'dist');
if (!existsSync(join(dist, 'index.js'))) {
  console.error('repl: dist/ is missing: run `npm run build` (or use `npm run repl`, which builds first)');
  process.exit(2);
}

// Every value the library exports (classes are types too); type-only exports are reachable as lib.X.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const names = Object.keys(require(dist) as object).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== 'default');

const repl = createRepl();
const service = create({
  ...repl.evalAwarePartialHost,
  project: join(root, 'tsconfig.json'),
  // Lines typed at a prompt are not a program: unused names are fine, and they live outside lib/.
  compilerOptions: { noUnusedLocals: false, noUnusedParameters: false, rootDir: root },
});
repl.setService(service);
const prelude =
  `import * as lib from ${JSON.stringify(dist)};\n` +
  `import { ${names.join(', ')} } from ${JSON.stringify(dist)};\n` +
  `const lab = Lab.load(labPath('anycast'));\n`;
console.log(
  `anycast-lab REPL (TypeScript): every export of the library is in scope (also as lib.*), and lab = Lab.load(labPath('anycast')).\n` +
    `Try: console.log(lab.exec('r3', 'traceroute 10.128.4.2', { at: seconds(60) }))   ·   .exit or Ctrl-D to leave`,
);
// The REPL runs its lines in this process's global context, compiled as a CommonJS module: give that
// context the module variables (as the \`ts-node\` command does for its own REPL).
Object.assign(globalThis, { exports: {}, module: { exports: {} }, require: createRequire(join(root, '<repl>.ts')) });
// start(code) evaluates the prelude inside the REPL's own context (evalCode before start() would not).
repl.start(prelude);
