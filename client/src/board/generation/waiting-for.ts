import type { JobListEntry } from '../../../../shared/api';

/** What a chain batch's waiting take waits for, as the jobs list says it (`JobListEntry.waitsFor`). */
export type WaitsFor = NonNullable<JobListEntry['waitsFor']>;

/**
 * The take a waiting chain-batch take waits for, in a producer's words: "take #2 of shot 1" (by
 * its number in the shot and the shot's place on the board), "its take of shot 1" before that
 * take is numbered in the document, "its upstream shot" once that shot is deleted.
 */
export function waitingForText(w: WaitsFor, shots: readonly { id: string }[], takes: Readonly<Record<string, readonly { id: string; number?: number | undefined }[] | undefined>>): string {
  const i = shots.findIndex((s) => s.id === w.shotId);
  const take = takes[w.shotId]?.find((t) => t.id === w.takeId);
  const shot = i < 0 ? 'its upstream shot' : `shot ${i + 1}`;
  return take?.number !== undefined ? `take #${take.number} of ${shot}` : `its take of ${shot}`;
}
