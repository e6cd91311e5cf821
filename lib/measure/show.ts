/**
 * The simulated side of the feature labs' comparison with real FRR (lib/results/show.ts): each
 * router's vtysh `show ip route` and `show ip rip` from the simulator's consoles.
 */
import { Lab } from '../lab/lab';
import { seconds } from '../sim/time';
import { SHOW_COMMANDS, type ShowCommand, type ShowNode } from '../results/show';

/**
 * The outputs of `nodes` at `atSeconds` after boot (whole seconds, rounded up: the time the real
 * outputs were taken), seed 1.
 */
export function simulatedShow(labDir: string, options: Record<string, boolean>, atSeconds: number, nodes: readonly string[]): ShowNode[] {
  const lab = Lab.load(labDir, { options });
  lab.runUntil(seconds(Math.ceil(atSeconds)));
  return nodes.map((node) => ({ node, outputs: Object.fromEntries(SHOW_COMMANDS.map((c) => [c, lab.exec(node, `vtysh -c "${c}"`)])) as Record<ShowCommand, string> }));
}
