/**
 * The contract every tool handler keeps (command.ts): in a branch that does not run, a command only
 * has its arguments checked; it changes nothing on the device and reports no finding.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LabFileError } from '../../errors';
import { parseHostScript } from '../index';
import { TOOLS } from './index';

const ARGS = [
  'eth1', 'lo', 'lo:0', 'bad/name', '10.128.5.2', '10.128.5.1', '10.0.0.0', '10.1.1.1/32', '10.128.5.2/24', '10.0.0.1/8', '1.2.3.4/33',
  'netmask', '255.255.255.0', '255.0.255.0', 'broadcast', 'up', 'down', 'mtu', '1400', 'metric', 'gw', 'via', 'dev', 'label', 'table',
  'default', '-net', '-host', '-n', '-6', 'add', 'del', 'set', 'show', 'addr', 'link', 'route', 'net.ipv4.ip_forward=1',
  'net.ipv4.ip_forward=2', 'kernel.x=1', '-p', '-w', '-b', 'xenial1', 'install', 'upgrade', 'remove', 'bind9', 'start', 'enable',
  'mask', '-i', "/-u bind/d", 's/a/b/', '/etc/default/bind9', '-c', '3', 'file', '/proc/sys/net/ipv4/ip_forward', '-a', '1', '%s',
  'make_config.perl', 'dns-input-file', '> /etc/x', '>> /etc/y', '<<EOF\n/-u bind\nd\n$X\nEOF', "<<'EOF'\n$X\nEOF",
];

test('tools: in a branch that does not run, every tool leaves the device as it was and reports nothing', () => {
  const command = fc.tuple(fc.constantFrom(...TOOLS.keys(), 'sudo ifconfig', '/etc/init.d/bind9', 'python3', 'unknown-tool'), fc.array(fc.constantFrom(...ARGS), { maxLength: 7 }));
  fc.assert(
    fc.property(command, ([name, args]) => {
      const script = `X=1\nif [ -f /vagrant/not_on ] ; then\n${[name, ...args].join(' ')}\nfi\n`;
      let c;
      try {
        c = parseHostScript(script, 'lab/setup.sh');
      } catch (e) {
        if (e instanceof LabFileError) return; // an argument the real command would reject: checked either way
        throw e;
      }
      assert.deepEqual(
        { interfaces: c.interfaces, routes: c.staticRoutes, files: c.writtenFiles, steps: c.bootSteps, findings: c.findings, hostname: c.hostname, domain: c.domain, forwarding: c.ipForwarding },
        { interfaces: [], routes: [], files: [], steps: [], findings: [], hostname: null, domain: null, forwarding: false },
      );
      assert.equal(c.transcript.at(-1)?.status, 'skipped');
    }),
    { numRuns: 2000 },
  );
});

test('tools: the same command where the branch runs does change the device', () => {
  const c = parseHostScript('if [ -f /vagrant/do_anycast ] ; then\nifconfig lo:0 10.1.1.1 netmask 255.255.255.255 up\nfi\n', 'lab/setup.sh', { options: { do_anycast: true } });
  assert.deepEqual(
    c.bootSteps.map((s) => s.kind),
    ['address-added'],
  );
  assert.equal(c.transcript[1]?.status, 'modelled');
});
