/**
 * Figures from elsewhere drawn where ours sit: the write-up's measurements (anycast-lab-writeup.txt:
 * the 243 s take-over of §4.3.5, seq 14 → seq 257 one second apart; nslookup's 0.103 s and 1.036 s in
 * §3.4) as a rule on the same axis, labelled with where they come from.
 */
import { Plot } from './draw';

export interface ReferenceMark {
  /** On the figure's x axis (seconds). */
  seconds: number;
  /** `write-up §4.3.5: 243 s` */
  label: string;
}

export const REFERENCE_COLOUR = '#e15759';

/** A dashed rule across the frame at the reference and its label above the frame. */
export function referenceMarks(ref: ReferenceMark | undefined): Plot.Markish[] {
  if (ref === undefined) return [];
  return [
    Plot.ruleX([ref.seconds], { stroke: REFERENCE_COLOUR, strokeDasharray: '5,3', strokeWidth: 1.5 }),
    Plot.text([ref], { x: 'seconds', text: 'label', frameAnchor: 'top', dy: -8, lineAnchor: 'bottom', textAnchor: 'end', dx: 4, fill: REFERENCE_COLOUR }),
  ];
}
