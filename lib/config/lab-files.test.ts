/** Text in, LabSpec out: a lab held in memory loads to the spec its folder gives, errors named alike. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LabFileError } from './errors';
import { memoryLabFiles, normalizeLabPath } from './lab-files';
import { loadLab, loadLabFiles } from './load';
import { labPath } from './paths';

/** Every file under a folder, by its path relative to it. */
function folderText(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    const abs = join(dir, name);
    if (statSync(abs).isDirectory()) Object.assign(out, folderText(abs, `${prefix}${name}/`));
    else out[`${prefix}${name}`] = readFileSync(abs, 'utf8');
  }
  return out;
}

test('a lab from text is the lab from its folder: the same spec, but for the folder it has not', () => {
  for (const lab of ['anycast', 'anycast-3site', 'anycast-asym']) {
    for (const options of [{}, { do_anycast: true }]) {
      const disk = loadLab(labPath(lab), options);
      const memory = loadLabFiles(memoryLabFiles(lab, folderText(labPath(lab))), options);
      assert.equal(memory.dir, null);
      assert.deepEqual({ ...memory, dir: disk.dir }, disk, `${lab} ${JSON.stringify(options)}`);
    }
  }
});

test('a lab from text: its problems name the file and line as the folder would', () => {
  const files = folderText(labPath('anycast'));
  const broken: Record<string, string> = { ...files, 'r1.cfg': files['r1.cfg']!.replace(/^ ip address 10\.128\.1\.1 .*$/m, ' ip address 10.128.1.300 255.255.255.0') };
  delete broken['r4.cfg'];
  const problems = (f: Record<string, string>): string[] => {
    try {
      loadLabFiles(memoryLabFiles('anycast', f));
    } catch (e) {
      if (e instanceof LabFileError) return e.problems.map((p) => `${p.file}:${p.line}: ${p.message}`);
      throw e;
    }
    return [];
  };
  const found = problems(broken);
  assert.ok(found.some((p) => /^anycast\/r1\.cfg:\d+: .*10\.128\.1\.300/.test(p)), found.join('\n'));
  assert.ok(found.some((p) => /^anycast\/topology\.clab\.yml:\d+: node r4: startup-config "r4\.cfg" does not exist in the lab folder anycast\/$/.test(p)), found.join('\n'));
  assert.deepEqual(problems({ 'r1.cfg': 'hostname r1\n' }), ['anycast:null: no topology file: expected topology.clab.yml (or *.clab.yml, topology.yml) in the lab anycast']);
});

test('lab paths: . and .. resolved as a folder would, leaving the lab only by ..', () => {
  assert.equal(normalizeLabPath('./daemons/../r1.cfg'), 'r1.cfg');
  assert.equal(normalizeLabPath('a//b/./c'), 'a/b/c');
  assert.equal(normalizeLabPath('../shared/x'), '../shared/x');
  assert.equal(memoryLabFiles('anycast', { 'r1.cfg': 'x' }).displayName('../other/r1.cfg'), 'other/r1.cfg');
});
