import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatPrefix } from '../addr';
import { parseHostScript } from '../host';
import { loadLab } from '../load';
import type { BootStep, InterfaceSpec, StaticRouteSpec, WrittenFileSpec } from '../spec';
import { vagrantNodes, writeVagrant } from './vagrant';
import { configuredAddresses } from './common';

const ANYCAST = join(__dirname, '..', '..', '..', 'data', 'labs', 'anycast');

/** What a host's setup means, without where each fact was written. */
function facts(c: { hostname: string | null; domain: string | null; interfaces: InterfaceSpec[]; staticRoutes: StaticRouteSpec[]; ipForwarding: boolean; writtenFiles: WrittenFileSpec[]; bootSteps: BootStep[] }): unknown {
  return {
    hostname: c.hostname,
    domain: c.domain,
    ipForwarding: c.ipForwarding,
    interfaces: c.interfaces
      .filter((i) => !(i.loopback && i.addresses.length <= 1 && i.aliases.length === 0))
      .map((i) => ({ name: i.name, up: i.up, addresses: configuredAddresses(i).map((a) => formatPrefix(a.address, a.prefixLength)), aliases: i.aliases.map((a) => `${a.label} ${formatPrefix(a.address, a.prefixLength)}`) })),
    staticRoutes: c.staticRoutes.map((r) => [formatPrefix(r.prefix, r.prefixLength), r.via, r.device]),
    // The zones the perl script made are written by the exported script itself (see vagrant.ts).
    writtenFiles: c.writtenFiles.filter((w) => !w.path.startsWith('/etc/bind/')).map((w) => [w.path, w.mode, w.content]),
    bootSteps: c.bootSteps.filter((s) => s.kind !== 'dns-zones-generated' && !(s.kind === 'file-written' && s.path.startsWith('/etc/bind/'))).map((s) => (s.kind === 'file-written' ? `${s.kind} ${s.path}` : s.kind)),
  };
}

test("the write-up's Vagrantfile for the four VMs: one host-only NIC each on its vboxnet, provisioned by its setup script", () => {
  const r = writeVagrant(loadLab(ANYCAST));
  assert.match(r.vagrantfile, /^VAGRANTFILE_API_VERSION = "2"\nVagrant\.configure\(VAGRANTFILE_API_VERSION\) do \|config\|\n  config\.vm\.define :xenial1 do \|t\|\n    t\.vm\.box = "ubuntu\/xenial64"\n    t\.vm\.provider "virtualbox" do \|prov\|\n      prov\.customize \["modifyvm", :id, "--nic2", "hostonly", "--hostonlyadapter2", "vboxnet1"\]\n    end\n    t\.vm\.provision "shell", path: "\.\/setup\.xenial1\.sh"\n  end\n/m);
  // §2's table: xenial1–4 on vboxnet1–4.
  assert.deepEqual([...r.vagrantfile.matchAll(/define :(\w+)[\s\S]*?"--hostonlyadapter2", "(\w+)"/g)].map((m) => `${m[1]} ${m[2]}`), ['xenial1 vboxnet1', 'xenial2 vboxnet2', 'xenial3 vboxnet3', 'xenial4 vboxnet4']);
  assert.ok(r.vagrantfile.endsWith('  end\nend\n'));
  assert.deepEqual(r.findings.filter((f) => f.message.includes('IOS router')).map((f) => f.message.split(' ')[0]), ['r1', 'r2', 'r3', 'r4']);
});

test('each setup script reads back through our host-script parser as the original does, with and without anycast', () => {
  for (const options of [{}, { do_anycast: true }]) {
    const spec = loadLab(ANYCAST, options);
    const r = writeVagrant(spec);
    for (const n of vagrantNodes(spec)) {
      const read = (text: string, file: string) => {
        const c = parseHostScript(text, file, { options: spec.options, files: n.files.map((f) => f.devicePath) });
        return { c, facts: facts({ ...c, hostname: c.hostname?.value ?? null, domain: c.domain?.value ?? null }) };
      };
      const exported = read(r.files.find((f) => f.name === `setup.${n.name}.sh`)!.content, `setup.${n.name}.sh`);
      const original = read(readFileSync(join(ANYCAST, `setup.${n.name}.sh`), 'utf8'), `setup.${n.name}.sh`);
      assert.deepEqual(exported.facts, original.facts, `${n.name} ${JSON.stringify(options)}`);
      // The addresses and routes are the LabSpec's (which adds the loopback and what zebra configures).
      const table = (x: { interfaces: InterfaceSpec[]; staticRoutes: StaticRouteSpec[] }) => (facts({ hostname: null, domain: null, ipForwarding: false, writtenFiles: [], bootSteps: [], ...x }) as { interfaces: unknown; staticRoutes: unknown });
      assert.deepEqual([table(exported.c).interfaces, table(exported.c).staticRoutes], [table(n).interfaces, table(n).staticRoutes], n.name);
      // The original's perl make_config is reported as not run; the export has nothing left unmodelled.
      assert.deepEqual(exported.c.findings, [], n.name);
    }
  }
});

test("xenial1's script: eth1 found as the write-up does, lo:0 added, the zones written where make_config ran", () => {
  const spec = loadLab(ANYCAST, { do_anycast: true });
  const r = writeVagrant(spec);
  const script = r.files.find((f) => f.name === 'setup.xenial1.sh')!.content;
  const lines = script.split('\n');
  assert.equal(lines[3], "ETH1=$(dmesg | grep -i 'renamed from eth1' | sed -n 's/: renamed from eth1//;s/.* //p')");
  assert.equal(lines[4], 'ifconfig $ETH1 10.128.5.2 netmask 255.255.255.0');
  assert.equal(lines[5], 'route add -net 10.128.0.0 netmask 255.255.0.0 gw 10.128.5.1');
  assert.ok(lines.includes('ifconfig lo:0 10.128.224.2 netmask 255.255.255.255'));
  const back = parseHostScript(script, 'setup.xenial1.sh', { options: spec.options });
  // The files make_config writes in /etc/bind: named.conf.local and one zone file per zone (8).
  assert.deepEqual(back.writtenFiles.filter((w) => w.path.startsWith('/etc/bind/')).map((w) => w.path), ['/etc/bind/db.home', '/etc/bind/db.10.128.5', '/etc/bind/db.10.128.6', '/etc/bind/db.10.128.7', '/etc/bind/db.10.128.8', '/etc/bind/db.10.128.3', '/etc/bind/db.10.128.4', '/etc/bind/db.10.128.1', '/etc/bind/named.conf.local']);
  assert.match(back.writtenFiles.find((w) => w.path === '/etc/bind/db.home')!.content, /^\$TTL 86400\n\$ORIGIN home\.\n/);
  // The lab files the servers bind under /vagrant are shared once.
  assert.deepEqual(r.files.map((f) => f.name).filter((f) => !f.startsWith('setup.')), ['xenial1.zebra.conf', 'xenial1.ripd.conf', 'daemons', 'xenial2.zebra.conf', 'xenial2.ripd.conf']);
});
