/**
 * `anycast-lab check`: every config error a lab build could raise is raised by check first, naming
 * the lab file and line (a broken line of xenial2.dns-input-file, not the device's /vagrant path).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from './index';
import { breakXenial2Line4, copiedLab } from '../config/dns-test-support';

test('check <lab> --anycast with a broken xenial2.dns-input-file line 4 exits non-zero and names xenial2.dns-input-file:4', () => {
  copiedLab(breakXenial2Line4, (dir) => {
    const r = runCli(['check', dir, '--anycast']);
    assert.notEqual(r.code, 0);
    assert.equal(r.err, 'error: anycast/xenial2.dns-input-file:4: expected "<name> <address>", got "xenia14"');
    // What used to pass check and fail later says the same, at load.
    const routes = runCli(['routes', dir, '--anycast']);
    assert.notEqual(routes.code, 0);
    assert.equal(routes.err, r.err);
  });
});

test('check <copied lab> --anycast as it comes: exit 0', () => {
  copiedLab(() => {}, (dir) => {
    const r = runCli(['check', dir, '--anycast']);
    assert.equal(r.code, 0, r.err);
  });
});

test('check --verbose: the setup-script steps that are recorded, not run, are listed too (package installs, perl, editors)', () => {
  const plain = runCli(['check', 'anycast']);
  const verbose = runCli(['check', 'anycast', '--verbose']);
  assert.equal(verbose.code, 0, verbose.err);
  assert.ok(!/apt-get install sysvbanner: recorded, not run/.test(plain.out));
  assert.match(verbose.out, /^anycast\/setup\.xenial3\.sh:12: note: apt-get install sysvbanner: recorded, not run: no package is installed$/m);
  assert.match(verbose.out, /^anycast\/setup\.xenial2\.sh:12: note: perl \/vagrant\/make_config\.1\.perl \/vagrant\/dns-input-file: not run;/m);
});

test('a failure the lab cannot have is named as the --fail option that gave it', () => {
  const r = runCli(['routes', 'anycast', '--fail', 'r3:Ethernet9/9:link-down@1s']);
  assert.equal(r.code, 1);
  assert.equal(r.err, 'error: --fail r3:Ethernet9/9:link-down@1s: r3 has no interface "Ethernet9/9" (it has Ethernet0/0, Ethernet0/1, Ethernet0/2)');
});
