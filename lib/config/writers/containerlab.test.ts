import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadLab } from '../load';
import { tempLab } from '../test-support';
import type { LabSpec } from '../spec';
import { writeContainerlab } from './containerlab';

const ANYCAST = join(__dirname, '..', '..', '..', 'data', 'labs', 'anycast');

/**
 * A LabSpec without provenance: where each fact was written (`source`, the line of a heredoc, the
 * lab files and folder), how an IOS network was typed (`written`), and the findings about the text.
 */
function meaning(spec: LabSpec): unknown {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v === null || typeof v !== 'object') return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (!['source', 'written', 'contentLine', 'files', 'findings', 'dir', 'topologyFile'].includes(k)) out[k] = strip(x);
    return out;
  };
  return strip(spec);
}

function exportedAndLoaded(spec: LabSpec): LabSpec {
  const out = writeContainerlab(spec);
  const lab = tempLab(Object.fromEntries(out.files.map((f) => [f.name, f.content])), spec.name);
  try {
    return loadLab(lab.dir);
  } finally {
    lab.done();
  }
}

test('the anycast lab exported as a containerlab folder loads back into the same LabSpec, with and without do_anycast', () => {
  for (const options of [{}, { do_anycast: true }]) {
    const spec = loadLab(ANYCAST, options);
    const back = exportedAndLoaded(spec);
    assert.deepEqual(meaning(back), meaning(spec), JSON.stringify(options));
    // The exported lab's own findings are the original's, but for the IOS session form's classful notes.
    assert.deepEqual(back.nodes.filter((n) => n.os === 'linux').map((n) => n.findings.map((f) => f.message)), spec.nodes.filter((n) => n.os === 'linux').map((n) => n.findings.map((f) => f.message)));
  }
});

test('the topology file: the routers from the IOS writer, the servers with their scripts and binds, MACs, delays and options', () => {
  const out = writeContainerlab(loadLab(ANYCAST, { do_anycast: true }));
  const topo = out.files[0]!;
  assert.equal(topo.name, 'topology.clab.yml');
  const lines = topo.content.split('\n');
  assert.ok(lines.includes('    do_anycast: { default: true, description: "/vagrant/do_anycast exists: the servers put 10.128.224.2 on lo:0 and run Quagga ripd (§4.2)" }'));
  // topology.clab.yml: cisco_iol 2ms..6ms, linux 0.2ms..0.6ms, vboxnet delays 1.5 ms, router links 0.1 ms.
  assert.ok(lines.includes('    r1: { kind: cisco_iol, startup-config: "r1.cfg", x-sim: { processing-delay: 2ms..6ms } }'));
  assert.ok(lines.includes('    xenial1: { kind: linux, startup-config: "setup.xenial1.sh", binds: ["xenial1.dns-input-file:/vagrant/dns-input-file", "xenial1.zebra.conf:/vagrant/xenial1.zebra.conf", "xenial1.ripd.conf:/vagrant/xenial1.ripd.conf", "daemons:/vagrant/daemons"], x-sim: { processing-delay: 200us..600us } }'));
  assert.ok(lines.includes('    vboxnet1: { kind: bridge, x-sim: { delay: 1.5ms } }'));
  // The §3.3 capture's MACs: r3's Ethernet0/1 cc:03:18:19:00:01, xenial1's eth1 08:00:27:a9:51:1d.
  assert.ok(lines.includes('    - endpoints: [{ node: r3, interface: "Ethernet0/1", mac: "cc:03:18:19:00:01" }, { node: vboxnet1, interface: p1 }]'));
  assert.ok(lines.includes('    - endpoints: [{ node: xenial1, interface: "eth1", mac: "08:00:27:a9:51:1d" }, { node: vboxnet1, interface: p2 }]'));
  assert.ok(lines.includes('      x-sim: { delay: 100us }'));
  // The shared `daemons` file is exported once; the routers' configs are the IOS writer's.
  assert.deepEqual(out.files.map((f) => f.name).filter((f) => f === 'daemons'), ['daemons']);
  assert.match(out.files.find((f) => f.name === 'r1.cfg')!.content, /^router rip\n version 2\n network 10\.0\.0\.0\n no auto-summary\n!\nend\n$/m);
});

test('a changed fact does not survive unnoticed: the comparison sees a different address', () => {
  const spec = loadLab(ANYCAST);
  const back = exportedAndLoaded(spec);
  const r1 = back.nodes.find((n) => n.name === 'r1')!;
  r1.interfaces[0]!.addresses[0]!.address += 1;
  assert.notDeepEqual(meaning(back), meaning(spec));
});
