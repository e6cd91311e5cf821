/**
 * checkLab's verbose list: the setup-script lines the simulator records and interprets rather than
 * runs (package installs, perl, editors), one note each, at the script's file and line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadLab } from './load';
import { bootStepFindings, checkLab } from './check';

const ANYCAST = join(__dirname, '..', '..', 'data', 'labs', 'anycast');

test('check --verbose lists package installs, perl and editors; plain check does not', () => {
  const spec = loadLab(ANYCAST, { do_anycast: true });
  const plain = checkLab(spec);
  const verbose = checkLab(spec, { verbose: true });
  assert.equal(plain.filter((f) => f.check === 'boot-step').length, 0);
  assert.deepEqual(verbose.slice(0, plain.length), plain);
  const lines = verbose.filter((f) => f.check === 'boot-step').map((f) => `${f.source.file}:${f.source.line}: ${f.severity}: ${f.message}`);
  assert.deepEqual(lines, [
    'anycast/setup.xenial1.sh:9: note: apt-get install bind9 dnsutils: recorded, not run: no package is installed; it starts what the install starts (bind9)',
    'anycast/setup.xenial1.sh:10: note: apt-get install quagga: recorded, not run: no package is installed; it starts what the install starts (quagga)',
    'anycast/setup.xenial1.sh:12: note: perl /vagrant/make_config.1.perl /vagrant/dns-input-file: not run; the simulator builds the zones it writes from /vagrant/dns-input-file',
    'anycast/setup.xenial1.sh:56: note: ed /etc/default/bind9: not run; the simulator reads only that it deletes the lines matching /-u bind/',
    'anycast/setup.xenial2.sh:9: note: apt-get install bind9 dnsutils: recorded, not run: no package is installed; it starts what the install starts (bind9)',
    'anycast/setup.xenial2.sh:10: note: apt-get install quagga: recorded, not run: no package is installed; it starts what the install starts (quagga)',
    'anycast/setup.xenial2.sh:12: note: perl /vagrant/make_config.1.perl /vagrant/dns-input-file: not run; the simulator builds the zones it writes from /vagrant/dns-input-file',
    'anycast/setup.xenial2.sh:56: note: ed /etc/default/bind9: not run; the simulator reads only that it deletes the lines matching /-u bind/',
    'anycast/setup.xenial3.sh:12: note: apt-get install sysvbanner: recorded, not run: no package is installed',
    'anycast/setup.xenial4.sh:12: note: apt-get install sysvbanner: recorded, not run: no package is installed',
  ]);
  assert.deepEqual(bootStepFindings(spec), verbose.slice(plain.length));
  assert.ok(verbose.every((f) => f.check !== 'boot-step' || f.node !== null));
});
