/**
 * The Monte Carlo engine over failure instants, shared by `failoverDistribution` (lib/measure/failover.ts)
 * and the sweep's jobs (lib/sweep/measures.ts): run r of a distribution draws a lab seed and a uniform
 * number u, its failure falls at `at + ⌊u × window⌋`, then the run itself is measured on that seed.
 *
 * Two draw strategies, each the one its caller has always used (changing either would change recorded
 * outputs: chapter 4's figures, the golden `failover --runs`, chapter 6's sweeps):
 * - `instantStream(seed, stream)`: failoverDistribution's. Every run on the same lab seed (the same
 *   RIP update schedule up to the failure); the instants are consecutive draws of one stream forked
 *   from the seed (`failover/<profile>`), so run r's instant depends on the runs before it.
 * - `commonRandomNumbers(seed)`: the sweep's. Run r forks its own stream (`sweep/run/<r>`) and draws
 *   its lab seed, then u: the same run number draws the same at every point of a grid, whatever the
 *   order jobs run in, so two points differ only by their parameters.
 */
import type { Duration, SimTime } from '../sim/time';
import { Rng } from '../sim/rng';
import { RIP_PROFILES, type RipProfileName } from '../proto/rip/params';
import type { RipTimersSpec } from '../config/spec';
import { parseRipTimers } from '../config/overrides';

/** What one run draws. */
export interface RunDraw {
  /** Seeds the lab: fixes the routers' update phases, ports, processing times. */
  labSeed: number;
  /** Uniform in [0, 1): where in the window the failure falls. */
  u: number;
}

/** Where the runs of a distribution take their draws from. */
export interface DrawStrategy {
  /** `instant-stream` or `common-random-numbers`. */
  readonly name: string;
  draw(run: number): RunDraw;
}

/**
 * failoverDistribution's draws: the lab seed is `seed` for every run, and run r's u is the r-th number
 * of the stream `stream` forked from `seed` (drawn once, in run order, whatever order runs are asked in).
 */
export function instantStream(seed: number, stream: string): DrawStrategy {
  const rng = Rng.fromSeed(seed).fork(stream);
  const drawn: number[] = [];
  return {
    name: 'instant-stream',
    draw(run) {
      while (drawn.length <= run) drawn.push(rng.next());
      return { labSeed: seed, u: drawn[run]! };
    },
  };
}

/** The draws of run `run` under common random numbers: derived from the seed and the run only. */
export function runDraw(seed: number, run: number): RunDraw {
  const rng = Rng.fromSeed(seed).fork(`sweep/run/${run}`);
  return { labSeed: rng.int(1, 2 ** 31 - 1), u: rng.next() };
}

/** The sweep's draws: run r's lab seed and u from its own stream (`runDraw`), the same at every point. */
export function commonRandomNumbers(seed: number): DrawStrategy {
  return { name: 'common-random-numbers', draw: (run) => runDraw(seed, run) };
}

/**
 * The window failure instants are drawn from: `window` when given, else one RIP update interval, the
 * `timers`' or the profile's (cisco-ios when none is named), so the failure meets every phase of the
 * update rhythm. It does not read the lab: sweeps and `failover --runs` take the lab's own `timers
 * basic` lines into account through lib/measure/failover.ts `failoverWindow`.
 */
export function failureWindow(o: { window?: Duration | null; timers?: RipTimersSpec | string | null; profile?: RipProfileName | null }): Duration {
  const timers = typeof o.timers === 'string' ? parseRipTimers(o.timers) : o.timers;
  return o.window ?? timers?.update ?? RIP_PROFILES[o.profile ?? 'cisco-ios'].timers.update;
}

/** A distribution's plan: where its draws come from and the window its failures fall in. */
export interface MonteCarloPlan {
  draws: DrawStrategy;
  /** Start of the window. */
  at: SimTime;
  window: Duration;
}

/** Run r as drawn: the lab seed it runs on and the instant its failure happens. */
export interface Trial {
  run: number;
  labSeed: number;
  at: SimTime;
}

/** The trial of run `run`: its draw, and its failure instant `at + ⌊u × window⌋`. */
export function trialOf(plan: MonteCarloPlan, run: number): Trial {
  const { labSeed, u } = plan.draws.draw(run);
  return { run, labSeed, at: plan.at + Math.floor(u * plan.window) };
}

/** Run `run` of a distribution: its seed and failure instant, then `measure` on them. */
export function monteCarloRun<T>(plan: MonteCarloPlan, run: number, measure: (trial: Trial) => T): T {
  return measure(trialOf(plan, run));
}
