/**
 * vtysh's BFD and logging commands on an FRR node: `show bfd peers [json]` (bfdd/bfdd_vty.c
 * _display_all_peers: _display_peer for text, __display_peer_json for JSON, every field in that
 * function's order), `show logging` (lib/log_vty.c show_logging), and the log file `log file` names,
 * read with `cat` or `tail [-n N]` on the node (lib/net/frr-log.ts writes it).
 */
import { ipv4ToString } from '../../wire/addr';
import { BFD_ADMIN_DOWN, BFD_DOWN, BFD_INIT, BFD_UP } from '../../wire/bfd';
import { BFD_ECHO_RX_DEFAULT } from '../../proto/bfd/session';
import { bfdDaemonOf, type BfdPeer } from '../../net/bfd-daemon';
import { frrLogOf } from '../../net/frr-log';
import type { NetNode } from '../../net/node';
import type { NodeSpec } from '../../config/spec';
import { splitWords } from './process';

const SECOND = 1_000_000;
const MS = 1000;

/** bfdd/bfd.c diag2str. */
const DIAG_TEXT: Readonly<Record<number, string>> = {
  0: 'ok',
  1: 'control detection time expired',
  2: 'echo function failed',
  3: 'neighbor signaled session down',
  4: 'forwarding plane reset',
  5: 'path down',
  6: 'concatenated path down',
  7: 'administratively down',
  8: 'reverse concatenated path down',
};
const diag2str = (d: number): string => DIAG_TEXT[d] ?? 'unknown';

/** bfdd_vty.c's status words (PTM_BFD_ADM_DOWN "shutdown", …). */
function statusOf(state: number): string {
  if (state === BFD_ADMIN_DOWN) return 'shutdown';
  if (state === BFD_DOWN) return 'down';
  if (state === BFD_INIT) return 'init';
  return state === BFD_UP ? 'up' : 'unknown';
}

/** bfdd/bfd.c integer2timestr: "1 minute(s), 5 second(s)" (days and hours likewise). */
export function integer2timestr(seconds: number): string {
  const parts: string[] = [];
  let t = Math.max(0, Math.floor(seconds));
  const units: [number, string][] = [
    [12 * 30 * 86400, 'year'],
    [30 * 86400, 'month'],
    [86400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
  ];
  for (const [size, name] of units) {
    if (t >= size) {
      parts.push(`${Math.floor(t / size)} ${name}(s)`);
      t %= size;
    }
  }
  parts.push(`${t} second(s)`);
  return parts.join(', ');
}

/** `show bfd peers` … */
export function frrBfdCommand(node: NetNode, command: string): string | null {
  const w = splitWords(command).join(' ');
  const m = /^sh(ow?)? bfd peers?( json)?$/.exec(w);
  if (m === null) return null;
  const daemon = bfdDaemonOf(node);
  // vtysh/vtysh.c vtysh_execute_func: a command whose only daemon is not connected says so.
  if (daemon === undefined) return 'bfdd is not running\n';
  return m[2] === undefined ? showBfdPeers(node, daemon.peers) : showBfdPeersJson(node, daemon.peers);
}

function header(p: BfdPeer): string {
  // _display_peer_header: the key's local address is 0.0.0.0 for ripd's sessions (bfd_sess_set_ipv4_addrs
  // with a NULL source) and for peers configured without local-address, so it is not printed.
  return `\tpeer ${ipv4ToString(p.peer)} vrf default interface ${p.ifName}`;
}

export function showBfdPeers(node: NetNode, peers: readonly BfdPeer[]): string {
  const out = ['BFD Peers:'];
  for (const p of peers) {
    const s = p.session;
    out.push(header(p), `\t\tID: ${s.localDiscriminator}`, `\t\tRemote ID: ${s.remoteDiscriminator}`, '\t\tActive mode');
    out.push(`\t\tStatus: ${statusOf(s.state)}`);
    if (s.state === BFD_DOWN) out.push(`\t\tDowntime: ${integer2timestr((node.now - s.changedAt) / SECOND)}`);
    if (s.state === BFD_UP) out.push(`\t\tUptime: ${integer2timestr((node.now - s.changedAt) / SECOND)}`);
    out.push(`\t\tDiagnostics: ${diag2str(s.localDiag)}`, `\t\tRemote diagnostics: ${diag2str(s.remoteDiag)}`);
    out.push(`\t\tPeer Type: ${p.configured ? 'configured' : 'dynamic'}`);
    if (p.profile !== null) out.push(`\t\tProfile: ${p.profile}`);
    // _display_rtt: RTT comes from echo packets, which these sessions do not send.
    out.push('\t\tRTT min/avg/max: 0/0/0 usec');
    out.push('\t\tLocal timers:', `\t\t\tDetect-multiplier: ${s.timers.detectMultiplier}`, `\t\t\tReceive interval: ${s.timers.receiveInterval / MS}ms`);
    out.push(`\t\t\tTransmission interval: ${s.timers.transmitInterval / MS}ms`, `\t\t\tEcho receive interval: ${BFD_ECHO_RX_DEFAULT / MS}ms`, '\t\t\tEcho transmission interval: disabled');
    out.push('\t\tRemote timers:', `\t\t\tDetect-multiplier: ${s.remoteDetectMult}`, `\t\t\tReceive interval: ${Math.floor(s.remoteMinRx / MS)}ms`);
    out.push(`\t\t\tTransmission interval: ${Math.floor(s.remoteMinTx / MS)}ms`);
    out.push(s.remoteMinEchoRx === 0 ? '\t\t\tEcho receive interval: disabled' : `\t\t\tEcho receive interval: ${s.remoteMinEchoRx / MS}ms`);
    out.push('');
  }
  return out.join('\n') + '\n';
}

/** __display_peer_json's object for one session, keys in its order. */
export function bfdPeerJson(node: NetNode, p: BfdPeer): Record<string, unknown> {
  const s = p.session;
  const o: Record<string, unknown> = { multihop: false, peer: ipv4ToString(p.peer), vrf: 'default', interface: p.ifName, id: s.localDiscriminator, 'remote-id': s.remoteDiscriminator, 'passive-mode': false };
  o['status'] = statusOf(s.state);
  if (s.state === BFD_DOWN) o['downtime'] = Math.floor((node.now - s.changedAt) / SECOND);
  if (s.state === BFD_UP) o['uptime'] = Math.floor((node.now - s.changedAt) / SECOND);
  o['diagnostic'] = diag2str(s.localDiag);
  o['remote-diagnostic'] = diag2str(s.remoteDiag);
  o['type'] = p.configured ? 'configured' : 'dynamic';
  if (p.profile !== null) o['profile'] = p.profile;
  o['receive-interval'] = s.timers.receiveInterval / MS;
  o['transmit-interval'] = s.timers.transmitInterval / MS;
  o['echo-receive-interval'] = BFD_ECHO_RX_DEFAULT / MS;
  o['echo-transmit-interval'] = 0;
  o['detect-multiplier'] = s.timers.detectMultiplier;
  o['remote-receive-interval'] = Math.floor(s.remoteMinRx / MS);
  o['remote-transmit-interval'] = Math.floor(s.remoteMinTx / MS);
  o['remote-echo-receive-interval'] = Math.floor(s.remoteMinEchoRx / MS);
  o['remote-detect-multiplier'] = s.remoteDetectMult;
  o['rtt-min'] = 0;
  o['rtt-avg'] = 0;
  o['rtt-max'] = 0;
  return o;
}

export function showBfdPeersJson(node: NetNode, peers: readonly BfdPeer[]): string {
  // vty_json: json-c's pretty form, as `show ip route json` (./frr.ts).
  return JSON.stringify(peers.map((p) => bfdPeerJson(node, p)), null, 2).replace(/": /g, '":');
}

// ---- the log --------------------------------------------------------------------------------

/**
 * `show logging` (lib/log_vty.c show_logging): where the daemons log. FRR prints the targets, not the
 * messages; those are in the file.
 * NOTE: the lines follow show_logging's shape; the syslog line and the levels are not checked
 * against a capture of a real FRR 10.
 */
export function frrShowLogging(spec: NodeSpec): string | null {
  const file = spec.frr?.ripdLogFile?.value ?? null;
  const lines = ['Syslog logging: ' + (file === null ? 'level debugging, facility daemon, ident ripd' : 'disabled'), 'Stdout logging: disabled', 'Stderr logging: disabled'];
  lines.push(file === null ? 'File logging: disabled' : `File logging: level debugging, filename ${file}`);
  lines.push('Protocol name: RIP', 'Record priority: disabled', 'Timestamp precision: 0');
  return lines.join('\n') + '\n';
}

/** `cat FILE` or `tail [-n N] FILE` of the file `log file` names; null for any other command or file. */
export function frrLogFileCommand(node: NetNode, spec: NodeSpec | undefined, command: string): string | null {
  const file = spec?.frr?.ripdLogFile?.value;
  if (file === undefined) return null;
  const [cmd, ...args] = splitWords(command);
  let count = Number.POSITIVE_INFINITY;
  if (cmd === 'tail') {
    count = 10;
    if (args[0] === '-n' && args.length === 3) {
      const text = args.splice(0, 2)[1]!;
      count = Number(text);
      if (!/^\d+$/.test(text)) return `tail: invalid number of lines: '${text}'`;
    }
  } else if (cmd !== 'cat') return null;
  if (args.length !== 1 || args[0] !== file) return null;
  const lines = frrLogOf(node).lines(node.now);
  const shown = count === Number.POSITIVE_INFINITY ? lines : lines.slice(Math.max(0, lines.length - count));
  return shown.length === 0 ? '' : shown.join('\n') + '\n';
}
