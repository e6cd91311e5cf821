/**
 * `show ip route` and `show ip rip` (FRR vtysh) of the same routers from two sides, line by line:
 * the simulator's consoles and real FRR 8.4's saved outputs (lib/real/show.ts records them,
 * lib/measure/show.ts runs the simulator, lib/cli/features.ts puts them together).
 *
 * The texts must be identical but for what cannot be. Only this is normalised, nothing else:
 * - `show ip route`: the uptime ending a route's line (`00:01:02`; `1d02h03m`, `01w2d03h` past a
 *   day and a week: zebra_vty.c's formats) becomes `<uptime>`;
 * - `show ip rip`: the Time column ending a learned route's line (`02:54`: time left on its timeout
 *   or garbage timer, ripd.c rip_vty_out_uptime) becomes `<timer>`;
 * - `show ip rip`: the rows of one prefix's equal-cost paths are put in text order. ripd lists a
 *   route's paths in the order their updates first arrived (ripd.c rip_ecmp_add appends to the
 *   route node's list), a race between neighbours: three runs of feature-ecmp on real FRR 8.4.4
 *   listed r4's two paths to 10.13.1.1/32 in both orders. zebra's `show ip route` sorts next hops,
 *   so its order is compared as printed.
 */

export const SHOW_COMMANDS = ['show ip route', 'show ip rip'] as const;
export type ShowCommand = (typeof SHOW_COMMANDS)[number];

/** One router's output of each command. */
export interface ShowNode {
  node: string;
  outputs: Record<ShowCommand, string>;
}

const UPTIME = /(\d{2}:\d{2}:\d{2}|\d+d\d{2}h\d{2}m|\d{2}w\dd\d{2}h)$/;
const RIP_TIMER = / \d{2}:\d{2}$/;
/** A `show ip rip` route row: its code and prefix (`R(n) 10.13.1.1/32`), the key its ECMP rows share. */
const RIP_ROW = /^([A-Z]\([a-z]\) \S+)\s/;

/** The text with only the columns above normalised; trailing blanks dropped. */
export function normaliseShow(command: ShowCommand, text: string): string {
  const lines = text.split('\n').map((line) => {
    const l = line.replace(/\s+$/, '');
    return command === 'show ip route' ? l.replace(UPTIME, '<uptime>') : l.replace(RIP_TIMER, ' <timer>');
  });
  if (command === 'show ip route') return lines.join('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; ) {
    const key = RIP_ROW.exec(lines[i]!)?.[1];
    let j = i + 1;
    while (key !== undefined && j < lines.length && RIP_ROW.exec(lines[j]!)?.[1] === key) j++;
    out.push(...lines.slice(i, j).sort());
    i = j;
  }
  return out.join('\n');
}

/**
 * The lines that differ, in order: `- ` a line only real FRR prints, `+ ` a line only the simulator
 * prints (a longest-common-subsequence diff of the normalised lines; empty when identical).
 */
export function showDiff(real: string, simulated: string): string[] {
  const a = real.split('\n');
  const b = simulated.split('\n');
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      i++;
      j++;
    } else if (i < a.length && (j === b.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) out.push(`- ${a[i++]}`);
    else out.push(`+ ${b[j++]}`);
  }
  return out;
}

export interface FeatureAgreementRow {
  lab: string;
  /** The router, or `-` for a lab the simulator cannot run (then `differing` says why). */
  router: string;
  command: ShowCommand | '-';
  identical: boolean;
  differing: string[];
}

/** Every router and command of a lab, real beside simulated; a simulator that cannot load or run the lab is one row saying why. */
export function compareShow(lab: string, real: readonly ShowNode[], simulated: readonly ShowNode[] | Error): FeatureAgreementRow[] {
  if (simulated instanceof Error) return [{ lab, router: '-', command: '-', identical: false, differing: [`the simulator cannot run this lab: ${simulated.message.split('\n')[0]}`] }];
  return real.flatMap((r) =>
    SHOW_COMMANDS.map((command) => {
      const sim = simulated.find((s) => s.node === r.node);
      const differing = sim === undefined ? [`the simulator has no router ${r.node}`] : showDiff(normaliseShow(command, r.outputs[command]), normaliseShow(command, sim.outputs[command]));
      return { lab, router: r.node, command, identical: differing.length === 0, differing };
    }),
  );
}

export interface FeatureSummaryRow {
  lab: string;
  /** `k/n` outputs (router × command) identical. */
  identical: string;
  agree: 'yes' | 'NO';
}

/** One row a lab, with the count of identical outputs, and a last row of all labs together. */
export function featureSummary(rows: readonly FeatureAgreementRow[]): FeatureSummaryRow[] {
  const labs = [...new Set(rows.map((r) => r.lab))];
  const line = (lab: string, of: readonly FeatureAgreementRow[]): FeatureSummaryRow => {
    const same = of.filter((r) => r.identical).length;
    return { lab, identical: `${same}/${of.length}`, agree: same === of.length && of.length > 0 ? 'yes' : 'NO' };
  };
  const agreeing = labs.filter((l) => rows.filter((r) => r.lab === l).every((r) => r.identical)).length;
  return [...labs.map((l) => line(l, rows.filter((r) => r.lab === l))), { ...line(`all (${agreeing}/${labs.length} labs agree)`, rows) }];
}

/** The summary, then every differing output with its lines, as the CLI prints them. */
export function formatFeatureAgreement(rows: readonly FeatureAgreementRow[]): string {
  const summary = featureSummary(rows);
  const w = Math.max(...summary.map((s) => s.lab.length), 3);
  const out = [`${'lab'.padEnd(w)}  identical  agree`, ...summary.map((s) => `${s.lab.padEnd(w)}  ${s.identical.padEnd(9)}  ${s.agree}`)];
  for (const r of rows) {
    if (r.identical) continue;
    out.push('', `${r.lab} ${r.router}${r.command === '-' ? '' : ` "${r.command}"`}: ${r.differing.length} differing line${r.differing.length === 1 ? '' : 's'} (- real FRR 8.4, + simulated)`, ...r.differing.map((d) => `  ${d}`));
  }
  return out.join('\n');
}
