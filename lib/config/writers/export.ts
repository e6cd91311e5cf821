/**
 * One lab, one target: every file a writer makes for the whole lab, laid out as a folder
 * (`anycast-lab export`). FRR and BIND get a folder per node, IOS a `<node>.cfg` per router,
 * Vagrant and containerlab a project folder.
 */
import { join } from 'node:path';
import type { ConfigFinding, LabSpec } from '../spec';
import { writeBind, dnsServers } from './bind';
import type { WrittenFile } from './common';
import { writeContainerlab } from './containerlab';
import { ripSpeakers, writeFrr } from './frr';
import { iosNodes, writeIos } from './ios';
import { writeVagrant } from './vagrant';

export const EXPORT_TARGETS = ['frr', 'bind', 'ios', 'vagrant', 'containerlab'] as const;
export type ExportTarget = (typeof EXPORT_TARGETS)[number];

export interface LabExport {
  /** Paths relative to the output folder. */
  files: WrittenFile[];
  findings: ConfigFinding[];
}

/**
 * Every file of `target` for the lab. `outDir`: the absolute folder they will be written to (BIND's
 * named.conf names its own folder as its working directory).
 */
export function exportLab(spec: LabSpec, target: ExportTarget, outDir: string): LabExport {
  const files: WrittenFile[] = [];
  const findings: ConfigFinding[] = [];
  switch (target) {
    case 'frr':
      for (const n of ripSpeakers(spec)) {
        const r = writeFrr(spec, n.name);
        files.push({ name: `${n.name}/zebra.conf`, content: r.zebraConf }, { name: `${n.name}/ripd.conf`, content: r.ripdConf }, { name: `${n.name}/daemons`, content: r.daemons });
        if (r.staticdConf !== null) files.push({ name: `${n.name}/staticd.conf`, content: r.staticdConf });
        findings.push(...r.findings);
      }
      break;
    case 'bind':
      for (const n of dnsServers(spec)) {
        const r = writeBind(spec, n.name, { dir: join(outDir, n.name) });
        files.push({ name: `${n.name}/named.conf`, content: r.namedConf }, ...r.files.map((f) => ({ name: `${n.name}/${f.name}`, content: f.content })));
        findings.push(...r.findings);
      }
      break;
    case 'ios':
      for (const n of iosNodes(spec)) {
        const r = writeIos(spec, n.name);
        files.push({ name: `${n.name}.cfg`, content: r.startupConfig });
        findings.push(...r.findings);
      }
      break;
    case 'vagrant': {
      const r = writeVagrant(spec);
      files.push({ name: 'Vagrantfile', content: r.vagrantfile }, ...r.files);
      findings.push(...r.findings);
      break;
    }
    case 'containerlab': {
      const r = writeContainerlab(spec);
      files.push(...r.files);
      findings.push(...r.findings);
      break;
    }
  }
  return { files, findings };
}
