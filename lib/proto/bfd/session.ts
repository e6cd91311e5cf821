/**
 * One BFD session in asynchronous mode (RFC 5880), as a state machine: it is handed `now` with every
 * call, an rng for the transmit jitter, and ports to send a packet and to report a state change; it
 * never reads a clock (lib/net/bfd-daemon.ts binds it to a node, a socket and a timer).
 *
 *   onPacket  §6.8.6 reception: the discard rules, then the §6.2 state machine (Down → Init → Up,
 *             Up → Down on a neighbour's Down or AdminDown), Poll/Final (§6.5)
 *   onTimer   §6.8.7 transmission every agreed interval less 0–25 % jitter, and §6.8.4 detection:
 *             no valid packet within the detection time takes an Init or Up session Down with
 *             diagnostic 1 ("Control Detection Time Expired")
 *   nextDeadline  when the session next needs the timer
 *
 * Demand mode, the echo function and authentication are not modelled (FRR's bfdd runs asynchronous
 * mode unless `echo-mode`/demand is configured, and ripd's sessions use neither).
 */
import type { Duration, SimTime } from '../../sim/time';
import {
  BFD_ADMIN_DOWN,
  BFD_CONTROL_LEN,
  BFD_DIAG_ADMIN_DOWN,
  BFD_DIAG_DETECT_EXPIRED,
  BFD_DIAG_NEIGHBOR_DOWN,
  BFD_DIAG_NONE,
  BFD_DOWN,
  BFD_INIT,
  BFD_UP,
  type BfdControl,
  type BfdState,
} from '../../wire/bfd';

/** A session's timers as `bfd` / `profile` configure them (FRR bfdd: transmit-interval, receive-interval, detect-multiplier). */
export interface BfdTimers {
  /** bfd.DesiredMinTxInterval once Up. @defaultValue 300 ms (FRR bfdd BFD_DEF_MIN_TX) */
  transmitInterval: Duration;
  /** bfd.RequiredMinRxInterval. @defaultValue 300 ms (FRR bfdd BFD_DEF_MIN_RX) */
  receiveInterval: Duration;
  /** bfd.DetectMult. @defaultValue 3 (FRR bfdd BFD_DEF_DETECT_MULT) */
  detectMultiplier: number;
}

/** FRR bfdd's defaults (bfdd/bfd.h BFD_DEF_MIN_TX, BFD_DEF_MIN_RX, BFD_DEF_DETECT_MULT; FRR docs "bfdd"). */
export const FRR_BFD_DEFAULTS: BfdTimers = { transmitInterval: 300_000, receiveInterval: 300_000, detectMultiplier: 3 };

/**
 * RFC 5880 §6.8.3: "When bfd.SessionState is not Up, the system MUST set bfd.DesiredMinTxInterval to
 * a value of not less than one second" (FRR bfdd: BFD_DEF_SLOWTX, 1 s).
 */
export const BFD_SLOW_TX: Duration = 1_000_000;

/**
 * The Required Min Echo RX Interval bfdd advertises (bfdd/bfd.h BFD_DEF_REQ_MIN_ECHO_RX, 50 ms): it
 * is willing to loop echo packets back even though its own sessions do not send them.
 */
export const BFD_ECHO_RX_DEFAULT: Duration = 50_000;

export interface BfdSessionPorts {
  send(packet: BfdControl): void;
  /** The session changed state (`diag`: the local diagnostic after the change). */
  stateChanged(now: SimTime, from: BfdState, to: BfdState, diag: number): void;
}

const INF = Number.POSITIVE_INFINITY;

export class BfdSession {
  state: BfdState = BFD_DOWN;
  remoteState: BfdState = BFD_DOWN;
  remoteDiscriminator = 0;
  localDiag = BFD_DIAG_NONE;
  remoteDiag = BFD_DIAG_NONE;
  /** The neighbour's Desired Min TX, Required Min RX and Detect Mult, as last received (µs). */
  remoteMinTx = 0;
  /** RFC 5880 §6.8.1: bfd.RemoteMinRxInterval starts at 1 (µs), so a new session may transmit. */
  remoteMinRx = 1;
  remoteDetectMult = 0;
  remoteMinEchoRx = 0;
  /** When the last packet that passed §6.8.6's checks arrived (-Infinity: none yet). */
  lastRxAt = Number.NEGATIVE_INFINITY;
  /** When the state last changed (FRR's uptime/downtime). */
  changedAt: SimTime;
  /** Control packets sent and received (FRR `show bfd peers counters`). */
  readonly stats = { txPackets: 0, rxPackets: 0, upEvents: 0, downEvents: 0 };
  /** When the next periodic packet goes; Infinity while stopped. */
  nextTxAt = INF;
  /** When the detection time runs out; Infinity while no packet is expected. */
  detectAt = INF;
  /** A Poll Sequence is running (§6.5): every packet carries P until one with F arrives. */
  private polling = false;
  /** The Desired Min TX and Required Min RX this end advertises now. */
  private advertisedTx: Duration = BFD_SLOW_TX;
  private advertisedRx: Duration;

  constructor(
    readonly localDiscriminator: number,
    readonly timers: BfdTimers,
    /** Uniform numbers in [0, 1) (lib/sim's Rng) for the jitter. */
    private readonly rng: { next(): number },
    private readonly ports: BfdSessionPorts,
    now: SimTime,
  ) {
    this.advertisedRx = timers.receiveInterval;
    this.changedAt = now;
  }

  /** Starts transmitting: the first packet goes within one (jittered) slow interval. */
  start(now: SimTime): void {
    this.nextTxAt = now + this.jittered(this.txInterval());
  }

  /** Stops the session without a word (the daemon died): nothing more is sent. */
  stop(): void {
    this.nextTxAt = INF;
    this.detectAt = INF;
  }

  nextDeadline(): SimTime {
    return Math.min(this.nextTxAt, this.detectAt);
  }

  /**
   * §6.8.4: in asynchronous mode the detection time is the neighbour's Detect Mult times the larger
   * of our Required Min RX and the neighbour's Desired Min TX (the rate it actually sends at).
   */
  detectionTime(): Duration {
    return this.remoteDetectMult * Math.max(this.advertisedRx, this.remoteMinTx);
  }

  /**
   * §6.8.7: the interval between packets is the larger of our Desired Min TX and the neighbour's
   * Required Min RX.
   */
  txInterval(): Duration {
    return Math.max(this.advertisedTx, this.remoteMinRx);
  }

  /** §6.8.6 reception of a control packet already taken for this session (by Your Discriminator or address). */
  onPacket(now: SimTime, p: BfdControl): void {
    if (!acceptable(p, this.localDiscriminator)) return;
    this.stats.rxPackets++;
    this.lastRxAt = now;
    this.remoteDiscriminator = p.myDiscriminator;
    this.remoteState = p.state;
    this.remoteDiag = p.diag;
    this.remoteMinTx = p.desiredMinTxUs;
    this.remoteMinRx = p.requiredMinRxUs;
    this.remoteDetectMult = p.detectMult;
    this.remoteMinEchoRx = p.requiredMinEchoRxUs;
    // §6.5: "If the Final (F) bit is set ... the Poll Sequence MUST be terminated."
    if (p.final) this.polling = false;
    if (this.state === BFD_ADMIN_DOWN) return;
    const before = this.state;
    if (p.state === BFD_ADMIN_DOWN) {
      if (this.state !== BFD_DOWN) this.moveTo(now, BFD_DOWN, BFD_DIAG_NEIGHBOR_DOWN);
    } else if (this.state === BFD_DOWN) {
      if (p.state === BFD_DOWN) this.moveTo(now, BFD_INIT, BFD_DIAG_NONE);
      else if (p.state === BFD_INIT) this.moveTo(now, BFD_UP, BFD_DIAG_NONE);
    } else if (this.state === BFD_INIT) {
      if (p.state === BFD_INIT || p.state === BFD_UP) this.moveTo(now, BFD_UP, BFD_DIAG_NONE);
    } else if (p.state === BFD_DOWN) {
      this.moveTo(now, BFD_DOWN, BFD_DIAG_NEIGHBOR_DOWN);
    }
    // §6.8.6: a packet that passed the checks restarts the detection timer (the neighbour's Down
    // packets too: only Init and Up sessions time out, and a Down one keeps no timer).
    this.detectAt = this.state === BFD_INIT || this.state === BFD_UP ? now + this.detectionTime() : INF;
    // §6.8.7: "If a Poll (P) bit is received, a Control packet with the Final (F) bit set MUST be
    // transmitted as soon as practicable", independent of the periodic schedule.
    if (p.poll) this.transmit(false, true);
    // ptm_bfd_sess_up: "Start sending control packets with poll bit immediately."
    if (before !== BFD_UP && this.state === BFD_UP) {
      this.transmit(this.polling, false);
      this.nextTxAt = now + this.jittered(this.txInterval());
      return;
    }
    // §6.8.7 "if the timer would have expired in the future": a longer interval the neighbour now
    // asks for takes effect from the next packet on, a shorter one at once.
    const latest = now + this.txInterval();
    if (this.nextTxAt > latest) this.nextTxAt = now + this.jittered(this.txInterval());
  }

  onTimer(now: SimTime): void {
    if (now >= this.detectAt) {
      this.detectAt = INF;
      // §6.8.4 and ptm_bfd_sess_dn: the session goes Down and forgets the neighbour's discriminator.
      if (this.state === BFD_INIT || this.state === BFD_UP) this.moveTo(now, BFD_DOWN, BFD_DIAG_DETECT_EXPIRED);
      this.remoteDiscriminator = 0;
      this.remoteMinRx = 1;
    }
    if (now >= this.nextTxAt) {
      this.transmit(this.polling, false);
      this.nextTxAt = now + this.jittered(this.txInterval());
    }
  }

  /** Sets the session AdminDown (`shutdown` in the peer's node): it tells the neighbour with diagnostic 7. */
  adminDown(now: SimTime): void {
    if (this.state === BFD_ADMIN_DOWN) return;
    this.moveTo(now, BFD_ADMIN_DOWN, BFD_DIAG_ADMIN_DOWN);
    this.detectAt = INF;
  }

  private moveTo(now: SimTime, to: BfdState, diag: number): void {
    const from = this.state;
    this.state = to;
    this.localDiag = diag;
    this.changedAt = now;
    if (to === BFD_UP) this.stats.upEvents++;
    if (from === BFD_UP && to !== BFD_UP) this.stats.downEvents++;
    // §6.8.3: the fast interval only once Up; a change of what we advertise runs a Poll Sequence
    // (FRR ptm_bfd_sess_up → bfd_set_polling). Going down, back to the slow interval at once.
    const tx = to === BFD_UP ? this.timers.transmitInterval : Math.max(this.timers.transmitInterval, BFD_SLOW_TX);
    if (tx !== this.advertisedTx) {
      this.advertisedTx = tx;
      this.polling = to === BFD_UP;
    }
    this.ports.stateChanged(now, from, to, diag);
  }

  /**
   * §6.8.7: "The periodic transmission of BFD Control packets MUST be jittered on a per-packet basis
   * by up to 25%, that is, the interval MUST be reduced by a random value of 0 to 25% ... If
   * bfd.DetectMult is equal to 1, the interval between transmitted BFD Control packets MUST be no
   * more than 90% of the negotiated transmission interval."
   */
  private jittered(interval: Duration): Duration {
    const low = 0.75;
    const high = this.timers.detectMultiplier === 1 ? 0.9 : 1;
    return Math.floor(interval * (low + (high - low) * this.rng.next()));
  }

  private transmit(poll: boolean, final: boolean): void {
    this.stats.txPackets++;
    this.ports.send({
      version: 1,
      diag: this.localDiag,
      state: this.state,
      poll,
      final,
      controlPlaneIndependent: false,
      authPresent: false,
      demand: false,
      multipoint: false,
      detectMult: this.timers.detectMultiplier,
      length: BFD_CONTROL_LEN,
      myDiscriminator: this.localDiscriminator,
      yourDiscriminator: this.remoteDiscriminator,
      desiredMinTxUs: this.advertisedTx,
      requiredMinRxUs: this.advertisedRx,
      requiredMinEchoRxUs: BFD_ECHO_RX_DEFAULT,
    });
  }
}

/**
 * §6.8.6's discard rules that need no session state beyond our discriminator: version 1, a Length
 * of at least 24 (26 with authentication), a non-zero Detect Mult and My Discriminator, no
 * Multipoint, Your Discriminator ours or zero only while the neighbour is Down or AdminDown, and no
 * authentication (none is configured, so a packet with the A bit is discarded).
 */
export function acceptable(p: BfdControl, localDiscriminator: number): boolean {
  if (p.version !== 1) return false;
  if (p.length < (p.authPresent ? 26 : 24)) return false;
  if (p.detectMult === 0 || p.multipoint || p.myDiscriminator === 0) return false;
  if (p.yourDiscriminator === 0 ? p.state !== BFD_DOWN && p.state !== BFD_ADMIN_DOWN : p.yourDiscriminator !== localDiscriminator) return false;
  return !p.authPresent;
}
