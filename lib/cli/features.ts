/**
 * The feature labs (data/labs/feature-*) on both sides: the simulator's `show ip route` and
 * `show ip rip` beside real FRR 8.4's saved outputs, one row a router and command
 * (`anycast-lab real compare-features`, chapter 8). No root needed: the real side is the records.
 */
import { labPath } from '../config/paths';
import { simulatedShow } from '../measure/show';
import { compareShow, type FeatureAgreementRow, type ShowNode } from '../results/show';
import { featureLabs, readShowRecord } from '../real/show-records';

/** The agreement rows of the feature labs from their saved real outputs (all of them by default). */
export function featureAgreement(labs: readonly string[] = featureLabs()): FeatureAgreementRow[] {
  return labs.flatMap((lab) => {
    const record = readShowRecord(lab);
    let sim: ShowNode[] | Error;
    try {
      sim = simulatedShow(labPath(lab), record.options, record.recordedSeconds, record.nodes.map((n) => n.node));
    } catch (e) {
      sim = e as Error;
    }
    return compareShow(lab, record.nodes, sim);
  });
}
