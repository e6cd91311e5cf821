/**
 * `apt-get [-y] install PACKAGE…` (and `apt`): a boot step that installs the packages and starts the
 * services their install scripts start. `update` and `clean` only look; versions are not modelled.
 */
import type { CommandRun } from '../command';
import type { CommandStatus } from '../state';

/** Debian packages whose install scripts start a service right away (this is what bit the write-up, §4.3.4). */
const PACKAGE_SERVICES: Readonly<Record<string, readonly string[]>> = {
  bind9: ['bind9'],
  quagga: ['quagga'],
  frr: ['frr'],
  'isc-dhcp-server': ['isc-dhcp-server'],
  dnsmasq: ['dnsmasq'],
};

export function apt(run: CommandRun): CommandStatus {
  const got = run.got;
  const rest = run.args;
  const words: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === '-o' || a === '-t') {
      i++;
      continue;
    }
    if (!a.startsWith('-')) words.push(a);
  }
  const sub = words[0];
  if (sub === undefined) {
    run.problem(`expected "apt-get [-y] install <package>…", got ${got}`);
    return 'modelled';
  }
  if (sub === 'update' || sub === 'clean' || sub === 'autoclean') return 'harmless';
  if (sub === 'upgrade' || sub === 'dist-upgrade') {
    run.finding('ignored', `${got}: package versions are not modelled`);
    return 'harmless';
  }
  if (sub === 'install') {
    const packages = words.slice(1).map((p) => p.replace(/[=:].*$/, ''));
    if (packages.length === 0) {
      run.problem(`expected "apt-get install <package>…", got ${got}`);
      return 'modelled';
    }
    run.step({ kind: 'packages-installed', packages, startsServices: packages.flatMap((p) => (Object.hasOwn(PACKAGE_SERVICES, p) ? PACKAGE_SERVICES[p]! : [])), source: run.source });
    return 'modelled';
  }
  return run.unsupported(`${got}: "apt-get ${sub}" is not modelled`);
}
