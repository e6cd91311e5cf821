/**
 * The RIP router's timers (RFC 2453 3.8 and 3.10.1), one named handler per event, after ripd
 * (FRR `ripd/ripd.c`):
 *   `routeTimers`      the route timeout (`rip_timeout` → `rip_ecmp_delete`: metric 16, garbage timer),
 *                      garbage collection (`rip_garbage_collect`: the entry is deleted), and for the
 *                      IOS profile hold-down and flush
 *   `refreshTimeout`   a route heard again (`rip_timeout_update`)
 *   `periodicUpdate`   the regular update and its jitter (`rip_update`, `rip_update_jitter`)
 *   `changed`          a route changed: flag it and ask for a triggered update (`rip_event(RIP_TRIGGERED_UPDATE)`)
 *   `triggeredUpdate`  the triggered update and its 1–5 s hold-off (`rip_triggered_update`,
 *                      `rip_triggered_interval`)
 *
 * Timers are deadlines (the table's `deadline` per route, the router's fields for the rest); the
 * router's one port timer is armed at the earliest of them (no timer per route). Each handler takes
 * the router it works on, as ripd's take `struct rip`.
 */
import type { SimTime } from '../../sim/time';
import { seconds } from '../../sim/time';
import { RIP_METRIC_INFINITY } from '../../wire/rip';
import { sendUpdates, sendWholeTableRequest } from './output';
import type { RipRouter } from './router';
import { KIND_LEARNED, STATE_GARBAGE, STATE_HOLDDOWN, STATE_INACCESSIBLE, STATE_VALID, type RipPath } from './table';

const INF = Number.POSITIVE_INFINITY;

// ---- the port timer ----------------------------------------------------------------------------

/** The port timer fired: every handler whose deadline has come runs, then the timer is re-armed. */
export function timerFired(r: RipRouter, now: SimTime): void {
  if (r.stopped) return;
  r.armedAt = INF;
  for (let i = 0; i < r.wakeupAt.length; i++) if (r.wakeupAt[i]! <= now) wakeup(r, i);
  if (r.nextRouteCheck <= now) routeTimers(r, now);
  if (r.nextUpdateAt <= now) periodicUpdate(r, now);
  if (r.triggerAt <= now) triggeredUpdate(r, now);
  arm(r);
}

/** Arms the port timer at the earliest pending deadline. */
export function arm(r: RipRouter): void {
  let at = r.nextUpdateAt;
  if (r.triggerAt < at) at = r.triggerAt;
  if (r.nextRouteCheck < at) at = r.nextRouteCheck;
  for (let i = 0; i < r.wakeupAt.length; i++) if (r.wakeupAt[i]! < at) at = r.wakeupAt[i]!;
  if (at !== r.armedAt) {
    r.armedAt = at;
    r.ports.setTimer(at);
  }
}

/** A route deadline was set that may come before every other: make sure the timer fires by then. */
export function deadlineAt(r: RipRouter, at: SimTime): void {
  if (at < r.nextRouteCheck) {
    r.nextRouteCheck = at;
    if (at < r.armedAt) {
      r.armedAt = at;
      r.ports.setTimer(at);
    }
  }
}

/** RFC 2453 3.9.1 / ripd `rip_interface_wakeup()`: the interface runs RIP and asks for the whole table. */
function wakeup(r: RipRouter, i: number): void {
  r.wakeupAt[i] = INF;
  const iface = r.interfaces[i]!;
  if (!iface.operational || r.enabled[i] !== 1) return;
  r.running[i] = 1;
  // ripd `rip_request_interface()`: never on loopback.
  if (iface.loopback || iface.addresses.length === 0) return;
  sendWholeTableRequest(r, i);
}

// ---- the periodic update -----------------------------------------------------------------------

/** RFC 2453 3.8: "Every 30 seconds, the RIP process is awakened to send an unsolicited Response". */
function periodicUpdate(r: RipRouter, now: SimTime): void {
  sendUpdates(r, false);
  // ripd `rip_update()`: "Triggered updates may be suppressed if a regular update is due by the
  // time the triggered update would be sent": a pending triggered update and its hold-off are dropped.
  r.triggerAt = INF;
  r.holdoffUntil = 0;
  // NOTE: ripd leaves the route change flags set here (the next triggered update then repeats
  // routes this full update just sent); we clear them, as RFC 2453 3.10.1 implies.
  clearChanged(r);
  r.nextUpdateAt = now + updateInterval(r);
}

/** RFC 2453 3.8: the update timer "is offset by a small random time"; each profile has its rule. */
export function updateInterval(r: RipRouter): number {
  const { update } = r.profile.timers;
  const j = r.profile.jitter;
  switch (j.kind) {
    case 'subtract':
      return update - Math.floor(r.rng.next() * j.maxFraction * update);
    case 'frr-quarter': {
      // ripd `rip_update_jitter()`: jitter = (random() % (2u + 1) - u) / 4 in whole seconds (C division).
      const u = Math.max(4, Math.floor(update / seconds(1)));
      const x = Math.floor(r.rng.next() * (2 * u + 1)) - u;
      return seconds(Math.floor(update / seconds(1)) + Math.trunc(x / 4));
    }
    case 'uniform':
      return update + j.min + Math.floor(r.rng.next() * (j.max - j.min + 1));
  }
}

// ---- route changes and the triggered update ----------------------------------------------------

/**
 * Route `id` changed. RFC 2453 3.8/3.9.2: "Set the route change flag and signal the output process
 * to trigger an update"; the ports hear of it unless `forwarding` is false (only what is advertised
 * changed: a local route, or an IOS route gone into hold-down that still forwards).
 */
export function changed(r: RipRouter, now: SimTime, id: number, forwarding = true): void {
  const t = r.table;
  t.generation++;
  const s = t.slot(id);
  if (s >= 0 && t.changed[s] === 0) {
    t.changed[s] = 1;
    r.changedIds.push(id);
  }
  // RFC 2453 3.10.1: now, or when the running hold-off ends; while one is pending, changes merge into it.
  if (r.triggerAt === INF) {
    r.triggerAt = r.holdoffUntil > now ? r.holdoffUntil : now;
    if (r.triggerAt < r.armedAt) {
      r.armedAt = r.triggerAt;
      r.ports.setTimer(r.triggerAt);
    }
  }
  if (forwarding) r.ports.routeChanged(id);
}

/**
 * RFC 2453 3.10.1 / ripd `rip_triggered_update()`: the changed routes only; then "a timer should be
 * set for a random interval between 1 and 5 seconds" before the next triggered update may go.
 */
function triggeredUpdate(r: RipRouter, now: SimTime): void {
  r.triggerAt = INF;
  r.stats.triggeredUpdates++;
  sendUpdates(r, true);
  clearChanged(r);
  const h = r.profile.triggeredHoldoff;
  const hold = h.wholeSeconds
    ? seconds(Math.floor(h.min / seconds(1)) + Math.floor(r.rng.next() * (Math.floor(h.max / seconds(1)) - Math.floor(h.min / seconds(1)) + 1)))
    : h.min + Math.floor(r.rng.next() * (h.max - h.min + 1));
  r.holdoffUntil = now + hold;
}

function clearChanged(r: RipRouter): void {
  const t = r.table;
  for (const id of r.changedIds) {
    const s = t.slot(id);
    if (s >= 0) t.changed[s] = 0;
  }
  r.changedIds.length = 0;
}

// ---- route timers ------------------------------------------------------------------------------

/** RFC 2453 3.8: when a path heard now times out ("180 seconds" by default: the profile's `invalid`). */
export function timeoutAt(r: RipRouter, now: SimTime): SimTime {
  return now + r.profile.timers.invalid;
}

/**
 * RFC 2453 3.8: "The timeout is initialized when a route is established, and any time an update
 * message is received for the route" (ripd `rip_timeout_update()`), for the first path of slot `s`.
 * Returns the new deadline.
 */
export function refreshTimeout(r: RipRouter, now: SimTime, s: number): SimTime {
  const d = timeoutAt(r, now);
  r.table.deadline[s] = d;
  r.table.updatedAt[s] = now;
  return d;
}

/** Route timers (RFC 2453 3.8): paths time out, entries past garbage collection or flush go. */
function routeTimers(r: RipRouter, now: SimTime): void {
  const t = r.table;
  const ids = t.ids;
  let next = INF;
  for (let i = ids.length - 1; i >= 0; i--) {
    const id = ids[i]!;
    const s = t.slotOf[id]!;
    const st = t.state[s];
    if (st === STATE_VALID) {
      if (t.kind[s] !== KIND_LEARNED) continue;
      const extra = t.extra.get(id);
      if (extra !== undefined) expireExtras(r, now, id, extra);
      while (t.slot(id) === s && t.state[s] === STATE_VALID && t.deadline[s]! <= now) timeout(r, now, id);
    } else if (t.deadline[s]! <= now) {
      deleteEntry(r, now, id);
    }
    if (t.slot(id) !== s) continue;
    const d = t.deadline[s]!;
    if (d < next) next = d;
    const extra = t.extra.get(id);
    if (extra !== undefined) for (const p of extra) if (p.deadline < next) next = p.deadline;
  }
  r.nextRouteCheck = next;
}

/** Equal-cost paths after the first that timed out go; ripd `rip_ecmp_delete()` with other paths left. */
function expireExtras(r: RipRouter, now: SimTime, id: number, extra: RipPath[]): void {
  const kept = extra.filter((p) => p.deadline > now);
  if (kept.length === extra.length) return;
  if (kept.length === 0) r.table.extra.delete(id);
  else r.table.extra.set(id, kept);
  changed(r, now, id);
}

/**
 * RFC 2453 3.8 / ripd `rip_timeout()`: the first path timed out. The next equal-cost path takes its
 * place, or the route is invalid: garbage (FRR) or hold-down (IOS).
 */
function timeout(r: RipRouter, now: SimTime, id: number): void {
  const extra = r.table.extra.get(id);
  if (extra !== undefined && extra.length > 0) return dropPrimary(r, now, id);
  if (r.profile.onInvalid === 'holddown') toHolddown(r, now, id);
  else toGarbage(r, now, id);
}

/** The first of several paths goes (timed out, worse metric or poison from its neighbour, interface down). */
export function dropPrimary(r: RipRouter, now: SimTime, id: number): void {
  const t = r.table;
  const extra = t.extra.get(id)!;
  t.setPrimary(t.slot(id), extra.shift()!);
  if (extra.length === 0) t.extra.delete(id);
  changed(r, now, id);
}

/**
 * RFC 2453 3.8 / ripd `rip_ecmp_delete()`: "The garbage-collection timer is set for 120 seconds; the
 * metric for the route is set to 16 (infinity)"; out of the forwarding table at once.
 */
export function toGarbage(r: RipRouter, now: SimTime, id: number): void {
  unreachableFor(r, now, id, STATE_GARBAGE, garbageTime(r));
}

/** IOS after a poison or a lost interface: out of the forwarding table, metric 16 until flushed. */
export function toInaccessible(r: RipRouter, now: SimTime, id: number): void {
  unreachableFor(r, now, id, STATE_INACCESSIBLE, flushAfterInvalid(r));
}

/**
 * Metric 16, out of the forwarding table, advertised as unreachable (and so triggered) until
 * `lifetime` from now, then deleted: FRR's garbage state and IOS's inaccessible one.
 */
function unreachableFor(r: RipRouter, now: SimTime, id: number, state: typeof STATE_GARBAGE | typeof STATE_INACCESSIBLE, lifetime: number): void {
  const t = r.table;
  const s = t.slot(id);
  r.ports.event('invalid', id, now);
  t.metric[s] = RIP_METRIC_INFINITY;
  t.state[s] = state;
  t.extra.delete(id);
  t.deadline[s] = now + lifetime;
  deadlineAt(r, t.deadline[s]!);
  changed(r, now, id);
}

/**
 * IOS: invalid ⇒ hold-down. Advertised with metric 16 ("marked inaccessible and advertised as
 * unreachable"), still forwarding, better routes from others ignored until `holddown` has passed;
 * removed at `flush` counted from the last update (IOS cmd ref, `timers basic`).
 */
export function toHolddown(r: RipRouter, now: SimTime, id: number): void {
  const t = r.table;
  const s = t.slot(id);
  const timers = r.profile.timers;
  r.ports.event('invalid', id, now);
  t.metric[s] = RIP_METRIC_INFINITY;
  t.state[s] = STATE_HOLDDOWN;
  t.extra.delete(id);
  t.holddownUntil.set(id, now + (timers.holddown ?? 0));
  t.deadline[s] = t.updatedAt[s]! + (timers.flush ?? timers.invalid + (timers.garbage ?? 0));
  changed(r, now, id, false);
  if (t.deadline[s]! <= now) {
    deleteEntry(r, now, id);
    return;
  }
  r.ports.event('holddown', id, now);
  deadlineAt(r, t.deadline[s]!);
}

/** FRR garbage time; on IOS the time a dead route is still advertised (flush − invalid). */
export function garbageTime(r: RipRouter): number {
  return r.profile.timers.garbage ?? flushAfterInvalid(r);
}

function flushAfterInvalid(r: RipRouter): number {
  const t = r.profile.timers;
  if (t.flush !== null) return Math.max(0, t.flush - t.invalid);
  return t.garbage ?? 0;
}

/**
 * RFC 2453 3.8: "When the garbage-collection timer expires, the route is deleted from the routing
 * table" (ripd `rip_garbage_collect()`); IOS: the flush timer.
 */
function deleteEntry(r: RipRouter, now: SimTime, id: number): void {
  const t = r.table;
  const s = t.slot(id);
  const wasForwarding = t.kind[s] === KIND_LEARNED && t.state[s] === STATE_HOLDDOWN;
  r.ports.event(r.profile.onInvalid === 'holddown' ? 'flush' : 'garbage', id, now);
  t.remove(id);
  if (wasForwarding) r.ports.routeChanged(id);
}
