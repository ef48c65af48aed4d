/**
 * Which shots a chain batch queues takes of: the shot it starts at and every shot continuing from
 * it, directly or further down, upstream before downstream (board order within a step), each with
 * the index of its upstream shot in the list. Shared by the server (what it queues) and the client
 * (the total it shows before anyone queues). A loop in a hostile document ends.
 */
export function downstreamChain(shots: readonly { id: string; continuesFrom?: string | undefined }[], startId: string): { shotId: string; upstream: number | null }[] {
  if (!shots.some((s) => s.id === startId)) return [];
  const out: { shotId: string; upstream: number | null }[] = [{ shotId: startId, upstream: null }];
  const seen = new Set([startId]);
  for (let i = 0; i < out.length; i++) {
    for (const s of shots) {
      if (s.continuesFrom !== out[i]!.shotId || seen.has(s.id)) continue;
      seen.add(s.id);
      out.push({ shotId: s.id, upstream: i });
    }
  }
  return out;
}
