import type { TakeView } from '../../../../shared/doc';

/** A take's number in its shot: the recorded one, else its place by creation time (takes from before numbering). */
export function takeNumber(takes: readonly TakeView[], index: number): number {
  return takes[index]?.number ?? index + 1;
}
