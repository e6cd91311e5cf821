/**
 * The simulator's failure modes (lib/lab/failures.ts) done to a real lab node, at once.
 *
 * - `halt`: every process in the node's namespace killed (SIGKILL) and its interfaces set down
 *   inside its namespace: the node neither answers nor announces. Its LAN's bridge port loses
 *   carrier, its router's does not (the bridge is in a namespace of its own), as when the write-up's
 *   VirtualBox VM stops. NOTE: a halted VM's NIC stays up on the host-only network; a downed veth is
 *   the closest silent host without tc or nftables (DESIGN.md §5). Both are silent on the wire.
 * - `boot`: links up, addresses and routes again, then the daemons, as at `up`.
 * - `reboot=<d>`: halt, wait d, boot.
 * - `drain=<d>`: the anycast alias withdrawn (addresses with a label, `lo:0`), halt d later.
 * - `link-down` / `link-up`: one interface or all of the node's (Linux flushes routes through a
 *   downed link, and does not bring static ones back: `boot` does).
 * - `named-stop` (SIGTERM, as `rndc stop`), `named-crash` (SIGKILL), `named-start`; `ripd-stop`
 *   (SIGTERM), `ripd-crash` (SIGKILL), `ripd-start`: zebra keeps running, as with FRR's own
 *   `systemctl` units where each daemon is separate.
 */
import { parseFailure, type FailureSpec } from '../config/failures';
import { toMs } from '../sim/time';
import { configureNode, ipIn, namespacePids } from './network';
import { daemonsOf, startNodeDaemons, startRipd, restartNamed, stopDaemons } from './daemons';
import { nodePlan, type RealLab } from './lab';
import { StateJournal } from './state';
import { processStartTime, RealLabError, sleepMs, stopProcess } from './system';

/**
 * Parses `<node>[:<iface>]:<mode>` (an `@time` is refused: real failures happen when asked) with the
 * simulator's parser, so both accept the same words.
 */
export function parseRealFailure(text: string): FailureSpec {
  if (text.includes('@')) throw new RealLabError(`"${text}": a real failure happens now; give it without @<time>`);
  const parsed = parseFailure(`${text}@0s`);
  if (!parsed.ok) throw new RealLabError(parsed.error.replace('@0s"', '"'));
  return parsed.value;
}

/** Does the failure to the running lab; returns a line saying what was done. */
export function failReal(lab: RealLab, f: FailureSpec): string {
  const n = nodePlan(lab, f.node);
  const journal = new StateJournal(lab.stateFile, lab.state);
  const mark = (what: string): void => {
    lab.state.failed[f.node] = [...(lab.state.failed[f.node] ?? []), what];
    journal.save();
  };
  const links = (state: 'up' | 'down'): string[] => {
    const names = f.iface === null ? n.up.filter((i) => i !== 'lo') : [lab.state.interfaces.find((i) => i.node === f.node && (i.spec === f.iface || i.linux === f.iface))?.linux ?? ''];
    if (names.includes('')) throw new RealLabError(`${f.node} has no interface ${f.iface} (it has ${lab.state.interfaces.filter((i) => i.node === f.node).map((i) => i.spec).join(', ')})`);
    for (const name of names) ipIn(n.ns, 'link', 'set', name, state);
    return names;
  };
  switch (f.mode) {
    case 'halt': {
      let killed = 0;
      for (const pid of namespacePids(n.ns)) {
        const startTime = processStartTime(pid);
        if (startTime === null) continue;
        stopProcess({ pid, startTime }, 'SIGKILL');
        killed++;
      }
      const downed = links('down');
      mark('halt');
      return `${f.node} halted: ${killed} processes killed, ${downed.join(', ')} down`;
    }
    case 'boot': {
      if (daemonsOf(lab, f.node).length > 0) throw new RealLabError(`${f.node} is running (its daemons are up): halt it first`);
      configureNode(n);
      startNodeDaemons(lab, journal, n);
      delete lab.state.failed[f.node];
      journal.save();
      return `${f.node} booted`;
    }
    case 'reboot': {
      const first = failReal(lab, { ...f, mode: 'halt' });
      sleepMs(toMs(f.downFor ?? 0));
      return `${first}; ${failReal(lab, { ...f, mode: 'boot' })}`;
    }
    case 'drain': {
      // The alias goes as `ifconfig lo:0 down` would take it: zebra sees the address leave, ripd
      // withdraws the route (a triggered update with metric 16), and the node halts later.
      const aliases = n.addresses.filter((a) => a.label !== null);
      if (aliases.length === 0) throw new RealLabError(`${f.node} has no alias address (lo:0) to withdraw`);
      for (const a of aliases) ipIn(n.ns, 'addr', 'del', a.cidr, 'dev', a.ifname);
      mark(`drain ${aliases.map((a) => a.label).join(',')}`);
      sleepMs(toMs(f.drainFor ?? 0));
      return `${f.node}: ${aliases.map((a) => `${a.label} ${a.cidr}`).join(', ')} withdrawn; ${failReal(lab, { ...f, mode: 'halt' })}`;
    }
    case 'link-down':
    case 'link-up': {
      const names = links(f.mode === 'link-down' ? 'down' : 'up');
      mark(f.mode === 'link-down' ? `link-down ${names.join(',')}` : `link-up ${names.join(',')}`);
      return `${f.node}: ${names.join(', ')} ${f.mode === 'link-down' ? 'down' : 'up'}`;
    }
    case 'named-stop':
    case 'named-crash':
    case 'ripd-stop':
    case 'ripd-crash': {
      const role = f.mode.startsWith('named') ? 'named' : 'ripd';
      if (role === 'named' ? !n.named : !n.rip) throw new RealLabError(`${f.node} runs no ${role}`);
      const stopped = stopDaemons(lab, f.node, role, f.mode.endsWith('crash') ? 'SIGKILL' : 'SIGTERM');
      if (stopped === 0) throw new RealLabError(`${f.node}'s ${role} is not running`);
      mark(f.mode);
      return `${f.node}: ${role} ${f.mode.endsWith('crash') ? 'killed (SIGKILL)' : 'stopped (SIGTERM)'}`;
    }
    case 'named-start':
    case 'ripd-start': {
      const role = f.mode === 'named-start' ? 'named' : 'ripd';
      if (daemonsOf(lab, f.node, role).length > 0) throw new RealLabError(`${f.node}'s ${role} is already running`);
      if (role === 'named') restartNamed(lab, journal, n);
      else if (daemonsOf(lab, f.node, 'zebra').length === 0) throw new RealLabError(`${f.node}'s zebra is not running (boot the node instead)`);
      else startRipd(lab, journal, n);
      mark(f.mode);
      return `${f.node}: ${role} started`;
    }
  }
}
