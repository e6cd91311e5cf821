/**
 * A configuration change applied to a running RIP process, as ripd's northbound callbacks apply
 * a `configure terminal` change (FRR ripd/rip_nb_config.c) rather than restarting the daemon:
 *
 * - `network` added or removed: ripd `rip_enable_apply_all()` → `rip_enable_apply()` per interface
 *   (ripd/rip_interface.c). An interface that becomes enabled is woken up (`rip_interface_wakeup`
 *   after the usual delay: it joins 224.0.0.9 and asks for the table) and its subnets become RIP's
 *   own (`rip_connect_set(ifp, 1)`); one that stops being enabled goes through `rip_if_down()` (routes
 *   through it become unreachable at once, it stops running) and its subnets are withdrawn
 *   (`rip_connect_set(ifp, 0)`: poisoned, then garbage-collected).
 * - `passive-interface`: `rip_passive_interface_apply()` only sets `ri->passive`; the next update
 *   (periodic or triggered) skips the interface, so sending stops at once.
 * - `timers basic`: `ripd_instance_timers_apply_finish()` calls `rip_event(rip, RIP_UPDATE_EVENT, 0)`,
 *   which cancels the update timer and arms it again at the new interval plus `rip_update_jitter()`
 *   (ripd/ripd.c). Route timers already running keep their deadlines; new ones use the new values.
 * - `distance`, `offset-list`, `default-metric`, `version`, split horizon: the values are read where
 *   they are used, so they apply from the next packet received or sent (ripd keeps a route's distance
 *   until `rip_rte_process` handles it again).
 * - `redistribute`, `default-information originate`: redistributed routes are added or poisoned at once
 *   (`rip_redistribute_add` / `rip_redistribute_delete`).
 */
import type { SimTime } from '../../sim/time';
import type { RipConfig } from './params';
import type { RipRouter } from './router';
import { arm, updateInterval } from './timers';

export interface ReconfigureOptions {
  /** `timers basic` was written or removed: the update timer restarts. */
  timersChanged: boolean;
  /** The ports want to hear of every refresh (`routeRefreshed`): a changed distance is applied there. */
  hearRefreshes: boolean;
}

/** Applies `config` to the running router `r` at `now`. */
export function reconfigure(r: RipRouter, now: SimTime, config: RipConfig, options: ReconfigureOptions): void {
  r.config = config;
  r.profile = config.profile;
  r.table.generation++;
  r.fibAgeRefresh = config.profile.fibAgeRefresh || options.hearRefreshes;
  r.receiveMask = config.receiveVersions.reduce((m, v) => m | (1 << v), 0);
  r.applyInterfaceSettings();
  if (!r.isRunning) return;
  for (const iface of r.interfaces) {
    const was = r.enabled[iface.index] === 1;
    r.updateEnabled(iface);
    const is = r.enabled[iface.index] === 1;
    if (was && !is) r.interfaceDown(now, iface.index);
    else if (!was && is && iface.operational && r.running[iface.index] !== 1) r.wakeupAt[iface.index] = now + r.profile.interfaceWakeup;
  }
  if (options.timersChanged) r.nextUpdateAt = now + updateInterval(r);
  r.reconcileLocal(now);
  arm(r);
}
