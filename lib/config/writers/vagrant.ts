/**
 * The write-up's Vagrant set-up (§2–§4.2) from a LabSpec: a `Vagrantfile` with one VirtualBox VM per
 * Linux node, its extra NICs on the host-only networks (or internal networks) its interfaces are wired
 * to, and a `setup.<node>.sh` per VM in the write-up's style, replaying the node's boot steps as
 * commands our host-script parser (lib/config/host.ts) reads back to the same addresses, routes and
 * files. The scripts are for the lab's options as loaded (`do_anycast` decided, not tested with
 * `if [ -f /vagrant/do_anycast ]`).
 *
 * make_config.1.perl is not in the write-up, so the script writes the zones the simulator builds
 * (lib/config/dns.ts) and their named.conf.local itself where the original ran the perl script.
 * IOS routers have no VM: they run in GNS3 with the `ios` export (a finding says so).
 */
import { formatIpv4, formatNetmask } from '../addr';
import { makeConfigOnNode, nodeFile } from '../node-dns';
import type { BootStep, ConfigFinding, LabSpec, NodeSpec } from '../spec';
import { configSourceOf, doesNotTranslate, translatedAs, type WrittenFile } from './common';

export interface VagrantWriteOptions {
  /** @defaultValue 'ubuntu/xenial64' (the write-up's, §1.3) */
  box?: string;
  /** `vm.box_url`; none: Vagrant's own catalogue. */
  boxUrl?: string;
}

export interface VagrantFiles {
  vagrantfile: string;
  /** setup.<node>.sh per VM, and the lab files the scripts read from /vagrant. */
  files: WrittenFile[];
  findings: ConfigFinding[];
}

/** The nodes that become VMs: Linux hosts. */
export function vagrantNodes(spec: LabSpec): NodeSpec[] {
  return spec.nodes.filter((n) => n.os === 'linux' && n.kind === 'host');
}

/** Vagrantfile, setup scripts and shared files for the lab's Linux nodes. */
export function writeVagrant(spec: LabSpec, opts: VagrantWriteOptions = {}): VagrantFiles {
  const findings: ConfigFinding[] = [];
  for (const n of spec.nodes) {
    if (n.kind === 'router' && n.os === 'ios') findings.push(doesNotTranslate(n.source, `${n.name} is an IOS router: Vagrant makes no VM for it (run it in GNS3 with "export --to ios")`));
  }
  const blocks: string[] = [];
  const files: WrittenFile[] = [];
  const shared = new Map<string, { content: string; node: string }>();
  for (const n of vagrantNodes(spec)) {
    const nics = nicsOf(spec, n, findings);
    blocks.push(
      `  config.vm.define :${n.name} do |t|`,
      `    t.vm.box = "${opts.box ?? 'ubuntu/xenial64'}"`,
      ...(opts.boxUrl === undefined ? [] : [`    t.vm.box_url = "${opts.boxUrl}"`]),
      '    t.vm.provider "virtualbox" do |prov|',
      ...nics.map((c) => `      prov.customize ["modifyvm", :id, "--nic${c.nic}", ${c.network.kind === 'lan' ? `"hostonly", "--hostonlyadapter${c.nic}"` : `"intnet", "--intnet${c.nic}"`}, "${c.network.name}"]`),
      '    end',
      `    t.vm.provision "shell", path: "./setup.${n.name}.sh"`,
      '  end',
    );
    const script = setupScript(spec, n, nics);
    findings.push(...script.findings);
    files.push({ name: `setup.${n.name}.sh`, content: script.text });
    for (const b of script.sharedFiles) {
      const before = shared.get(b.name);
      if (before === undefined) {
        shared.set(b.name, { content: b.content, node: n.name });
        files.push(b);
      } else if (before.content !== b.content) {
        findings.push(doesNotTranslate(n.source, `${n.name} and ${before.node} see different files as /vagrant/${b.name}, but Vagrant shares one folder: ${before.node}'s is written`));
      }
    }
  }
  const vagrantfile = [
    '# -*- mode: ruby -*-',
    '# vi: set ft=ruby :',
    `# Lab ${spec.name}${optionsText(spec)}, written by anycast-lab from ${spec.topologyFile ?? 'the lab description'}.`,
    '# Vagrantfile API/syntax version. Don\'t touch unless you know what you\'re doing!',
    'VAGRANTFILE_API_VERSION = "2"',
    'Vagrant.configure(VAGRANTFILE_API_VERSION) do |config|',
    ...blocks,
    'end',
  ];
  return { vagrantfile: vagrantfile.join('\n') + '\n', files, findings };
}

function optionsText(spec: LabSpec): string {
  const on = Object.entries(spec.options).filter(([k]) => !k.startsWith('x-'));
  return on.length === 0 ? '' : ` (options: ${on.map(([k, v]) => `${k}=${v}`).join(', ')})`;
}

/** A VM's extra NIC (nic1 is Vagrant's NAT): the interface it is, the kernel's eth name for it, its network. */
interface Nic {
  nic: number;
  iface: string;
  /** `eth<nic-1>` before systemd renames it; the script finds the new name with the write-up's dmesg idiom. */
  kernelName: string;
  network: { kind: 'lan' | 'p2p'; name: string };
}

function nicsOf(spec: LabSpec, n: NodeSpec, findings: ConfigFinding[]): Nic[] {
  const nics: Nic[] = [];
  for (const i of n.interfaces) {
    if (i.loopback) continue;
    const segment = spec.segments.find((s) => s.endpoints.some((e) => e.node === n.name && e.iface === i.name));
    if (segment === undefined) {
      findings.push(doesNotTranslate(i.source ?? n.source, `${n.name}:${i.name} is wired to nothing: no NIC for it`));
      continue;
    }
    const nic = nics.length + 2;
    const kernelName = `eth${nic - 1}`;
    if (kernelName !== i.name) findings.push(translatedAs(i.source ?? n.source, `${n.name}:${i.name} is the VM's NIC ${nic}, which the kernel first calls ${kernelName}: the script names it so`));
    nics.push({ nic, iface: i.name, kernelName, network: { kind: segment.kind, name: segment.name } });
  }
  return nics;
}

/** A here-document writing `content` to `path` (`>` or `>>`), with a delimiter the content does not contain. */
function heredoc(path: string, content: string, append: boolean): string[] {
  let delimiter = 'EOF';
  while (content.split('\n').includes(delimiter)) delimiter += '_';
  // Quoted: the content is written as it is, without $ expansion.
  const quoted = /[$`\\]/.test(content) ? `'${delimiter}'` : delimiter;
  return [`cat ${append ? '>>' : '>'} ${path} <<${quoted}`, ...content.replace(/\n$/, '').split('\n'), delimiter];
}

function setupScript(spec: LabSpec, n: NodeSpec, nics: Nic[]): { text: string; findings: ConfigFinding[]; sharedFiles: WrittenFile[] } {
  const findings: ConfigFinding[] = [];
  const sharedFiles: WrittenFile[] = [];
  const from = configSourceOf(n);
  const out = ['#!/bin/bash', `# setup.${n.name}.sh for lab ${spec.name}${optionsText(spec)}, written by anycast-lab from ${from}`, `echo "Setup ${n.name}"`];
  const variable = new Map<string, string>();
  for (const c of nics) {
    const v = c.kernelName.toUpperCase();
    variable.set(c.iface, `$${v}`);
    out.push(`${v}=$(dmesg | grep -i 'renamed from ${c.kernelName}' | sed -n 's/: renamed from ${c.kernelName}//;s/.* //p')`);
  }
  const dev = (iface: string): string => variable.get(iface) ?? iface;
  const zoneInputs = new Set(n.bootSteps.flatMap((s) => (s.kind === 'dns-zones-generated' ? [s.input] : [])));
  for (const f of n.files) {
    if (f.devicePath === 'startup-config' || zoneInputs.has(f.devicePath)) continue;
    const content = nodeFile(spec, n, f.devicePath);
    if (content === null) continue;
    if (f.devicePath.startsWith('/vagrant/')) sharedFiles.push({ name: f.devicePath.slice('/vagrant/'.length), content });
    else out.push(...heredoc(f.devicePath, content, false));
  }
  const addressed = new Set<string>();
  const upWithAddress = new Set<string>();
  let installed = false;
  for (const s of n.bootSteps) out.push(...stepCommands(s));

  function stepCommands(s: BootStep): string[] {
    switch (s.kind) {
      case 'address-added': {
        const key = s.label ?? s.iface;
        const mask = formatNetmask(s.prefixLength);
        upWithAddress.add(`${s.iface}@${s.source.line}`);
        if (s.label !== null || (!addressed.has(key) && s.iface !== 'lo')) {
          addressed.add(key);
          return [`ifconfig ${s.label ?? dev(s.iface)} ${formatIpv4(s.address)} netmask ${mask}`];
        }
        return [`ip addr add ${formatIpv4(s.address)}/${s.prefixLength} dev ${dev(s.iface)}`];
      }
      case 'link-up':
      case 'link-down':
        if (s.kind === 'link-up' && upWithAddress.has(`${s.iface}@${s.source.line}`)) return [];
        return [`ifconfig ${dev(s.iface)} ${s.kind === 'link-up' ? 'up' : 'down'}`];
      case 'route-added': {
        const target = s.via !== null ? `gw ${formatIpv4(s.via)}` : `dev ${dev(s.device!)}`;
        if (s.prefixLength === 0) return [`route add default ${target}`];
        if (s.prefixLength === 32) return [`route add -host ${formatIpv4(s.prefix)} ${target}`];
        return [`route add -net ${formatIpv4(s.prefix)} netmask ${formatNetmask(s.prefixLength)} ${target}`];
      }
      case 'ip-forwarding':
        return [`sysctl -w net.ipv4.ip_forward=${s.enabled ? 1 : 0}`];
      case 'hostname-set':
        return [`hostname ${s.hostname}`];
      case 'domain-set':
        return [`domainname ${s.domain}`];
      case 'packages-installed': {
        const update = installed ? [] : ['apt-get update'];
        installed = true;
        return [...update, `apt-get -y install ${s.packages.join(' ')}`];
      }
      case 'file-written': {
        const w = n.writtenFiles.find((x) => x.path === s.path && x.source.file === s.source.file && x.source.line === s.source.line);
        return w === undefined ? [] : heredoc(w.path, w.content, w.mode === 'append');
      }
      case 'file-edited':
        if (s.editor === 'ed') return [`ed ${s.path} <<EOF`, ...s.script.replace(/\n$/, '').split('\n'), 'EOF'];
        return [`sed -i '${s.script.replace(/'/g, `'\\''`)}' ${s.path}`];
      case 'service':
        return [`service ${s.service} ${s.action}`];
      case 'ping':
        return [`ping${s.count === null ? '' : ` -c${s.count}`} ${s.target}`];
      case 'dns-zones-generated': {
        // NOTE: the write-up's make_config.1.perl is not published; its output as we reconstruct it is written instead.
        findings.push(translatedAs(s.source, `${s.script} is not in the write-up: the script writes the zones it makes (lib/config/dns.ts) instead`));
        // The zones named serves (read at load); a node that runs make_config without bind9 has none there.
        const made = n.dns?.named?.files ?? [...makeConfigOnNode(spec, n).files].map(([path, text]) => ({ path, text }));
        return [`# the zones ${s.script} makes of ${s.input}`, ...made.flatMap((f) => heredoc(f.path, f.text, false))];
      }
      case 'not-modelled':
        return [`cd ${s.cwd}`, s.command];
    }
  }
  return { text: out.join('\n') + '\n', findings, sharedFiles };
}
