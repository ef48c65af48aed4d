/**
 * Scores the seams of chained cuts in the background. A pair of takes is queued when the
 * downstream take finishes (the pair it was made from) and whenever someone reads a board's seams
 * (every cut of the sequence as the selected takes pair them now: a new upstream selection is
 * noticed there, since selecting is a client edit of the document). Each pair is scored once and
 * stored; at most `concurrency` at a time, at most `maxQueued` waiting (more are dropped and
 * queued again by the next read). Nothing here is awaited by a request but the read of what is
 * stored. Every failure is stored as "not scored: why", never thrown.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import * as Y from 'yjs';
import { chainStates, getTake, type TakeView } from '../../shared/doc/index.js';
import { SEAM_THRESHOLD, isBadSeam, seamReasons, seamScore, type SeamList, type SeamView } from '../../shared/seams.js';
import type { BlobStore } from '../assets/blob-store.js';
import type { Database, SeamScoresTable } from '../db/schema.js';
import { localCopies } from '../generation/finalize.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/log.js';
import type { DocHub } from '../sync/hub.js';
import { MediaError, type Media } from '../assets/media.js';
import { measureSeam, SideError } from './score.js';
import { hasSeam, saveSeam, seamsOf } from './seams.queries.js';

export interface SeamScorerDeps {
  db: Kysely<Database>;
  hub: Pick<DocHub, 'read'>;
  media: Media;
  blobs: BlobStore;
  clock: Clock;
  log: Logger;
}

export interface SeamScorerOptions {
  /** Pairs scored at once (each runs three short ffmpeg children through the media queue). Default 1. */
  concurrency: number;
  /** Pairs waiting at most; past it new ones are dropped until a later read. Default 200. */
  maxQueued: number;
  /**
   * Tries of a pair whose scoring failed for a passing reason (ffmpeg timed out or could not start,
   * the blob store did not answer) before it is stored as not scored. Default 3.
   */
  maxTries: number;
}

/** Two takes meeting at a chained cut. */
export interface Pair {
  boardId: string;
  upstreamShotId: string;
  downstreamShotId: string;
  upstreamTakeId: string;
  downstreamTakeId: string;
}

export type SeamScorer = ReturnType<typeof createSeamScorer>;

export function createSeamScorer(deps: SeamScorerDeps, options: Partial<SeamScorerOptions> = {}) {
  const opts: SeamScorerOptions = { concurrency: 1, maxQueued: 200, maxTries: 3, ...options };
  /** Passing failures per pair so far (in memory: a restart gives a pair its tries again). */
  const tries = new Map<string, number>();
  const waiting = new Map<string, Pair>();
  const running = new Set<string>();
  const idleWaiters: (() => void)[] = [];
  let closed = false;

  function enqueue(pair: Pair): void {
    const key = keyOf(pair);
    if (closed || waiting.has(key) || running.has(key)) return;
    if (waiting.size >= opts.maxQueued) {
      deps.log.warn('seam scoring queue is full; the pair waits for the next read of its board', { boardId: pair.boardId });
      return;
    }
    waiting.set(key, pair);
    pump();
  }

  function pump(): void {
    while (!closed && running.size < opts.concurrency && waiting.size > 0) {
      const [key, pair] = waiting.entries().next().value as [string, Pair];
      waiting.delete(key);
      running.add(key);
      void scoreOnce(pair)
        .catch((err: unknown) => deps.log.error('could not store a seam score', { boardId: pair.boardId, err }))
        .finally(() => {
          running.delete(key);
          pump();
          if (running.size === 0 && waiting.size === 0) idleWaiters.splice(0).forEach((f) => f());
        });
    }
  }

  async function scoreOnce(pair: Pair): Promise<void> {
    if (await hasSeam(deps.db, pair.upstreamTakeId, pair.downstreamTakeId)) return;
    const takes = await deps.hub.read(pair.boardId, (doc) => ({ up: getTake(doc, pair.upstreamShotId, pair.upstreamTakeId), down: getTake(doc, pair.downstreamShotId, pair.downstreamTakeId) }));
    // A take removed since, or still rendering: nothing to store now (a finished take comes back here).
    if (!takes.up || !takes.down || unfinished(takes.up) || unfinished(takes.down)) return;
    const row = (fields: Partial<SeamScoresTable> & Pick<SeamScoresTable, 'status'>): SeamScoresTable => ({
      upstream_take_id: pair.upstreamTakeId, downstream_take_id: pair.downstreamTakeId, board_id: pair.boardId,
      upstream_shot_id: pair.upstreamShotId, downstream_shot_id: pair.downstreamShotId,
      score: null, ssim: null, colour_distance: null, motion: null, why: null, scored_at: deps.clock.now(), ...fields,
    });
    const noClip = !takes.up.clip ? takeWithoutClip('upstream', takes.up) : !takes.down.clip ? takeWithoutClip('downstream', takes.down) : null;
    if (noClip) return saveSeam(deps.db, row({ status: 'not-scored', why: noClip }));
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'takeboard-seam-'));
    try {
      const files = await localCopies(deps, pair.boardId, [takes.up.clip!, takes.down.clip!], dir);
      const up = files.get(takes.up.clip!);
      const down = files.get(takes.down.clip!);
      if (!up || !down) return await saveSeam(deps.db, row({ status: 'not-scored', why: `the ${!up ? 'upstream' : 'downstream'} clip is gone (deleted from the board or its storage)` }));
      const m = await measureSeam(deps.media, up, down, dir);
      await saveSeam(deps.db, row({ status: 'scored', score: seamScore(m), ssim: m.ssim, colour_distance: m.colourDistance, motion: m.motion }));
    } catch (err) {
      const key = keyOf(pair);
      const tried = (tries.get(key) ?? 0) + 1;
      deps.log.warn('a seam could not be scored', { boardId: pair.boardId, tried, err });
      // Left pending for the next read to try again, unless the clip itself is the reason or it kept failing.
      if (passing(err) && tried < opts.maxTries) return void tries.set(key, tried);
      tries.delete(key);
      await saveSeam(deps.db, row({ status: 'not-scored', why: err instanceof Error ? err.message : String(err) }));
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }

  /** The chained cuts of a board as its selected takes pair them now, in board order. */
  const currentPairs = (boardId: string) => deps.hub.read(boardId, (doc) => pairsOf(doc, boardId));

  return {
    /** A take finished: its seam with the upstream take it was made from is queued. */
    async takeFinished(boardId: string, shotId: string, takeId: string): Promise<void> {
      const pair = await deps.hub.read(boardId, (doc) => {
        const take = getTake(doc, shotId, takeId);
        return take?.fromShot && take.fromTake ? { boardId, upstreamShotId: take.fromShot, downstreamShotId: shotId, upstreamTakeId: take.fromTake, downstreamTakeId: takeId } : null;
      });
      if (pair) enqueue(pair);
      // The finished take may also meet the shot that continues from it.
      for (const p of await currentPairs(boardId)) if (p.upstreamTakeId === takeId) enqueue(p);
    },

    /** Every chained cut of the board with its stored seam; a pair not stored yet is queued and `pending`. */
    async list(boardId: string): Promise<SeamList> {
      const pairs = await currentPairs(boardId);
      const seams = await storedSeams(deps.db, boardId, pairs);
      seams.forEach((s, i) => s.status === 'pending' && enqueue(pairs[i]!));
      return { threshold: SEAM_THRESHOLD, seams };
    },

    /** Resolves once nothing is queued or running (tests; shutdown). */
    idle(): Promise<void> {
      if (running.size === 0 && waiting.size === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },

    /** Takes no more pairs; resolves when the ones running are done. */
    async close(): Promise<void> {
      closed = true;
      waiting.clear();
      if (running.size > 0) await new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
  };
}

/** The seams of these pairs of one board as stored (`pending` when not yet), in their order; queues nothing. */
export async function storedSeams(db: Kysely<Database>, boardId: string, pairs: readonly Pair[]): Promise<SeamView[]> {
  const rows = await seamsOf(db, boardId, pairs.map((p) => p.downstreamTakeId));
  const stored = new Map(rows.map((r) => [`${r.upstream_take_id}\u0000${r.downstream_take_id}`, r]));
  return pairs.map((p) => toView(p, stored.get(keyOf(p))));
}

/** Every chained cut of a document whose two shots have a selected take. */
export function pairsOf(doc: Y.Doc, boardId: string): Pair[] {
  const out: Pair[] = [];
  for (const [shotId, chain] of chainStates(doc)) {
    if (chain.upstream?.takeId && chain.takeId) {
      out.push({ boardId, upstreamShotId: chain.upstream.shotId, downstreamShotId: shotId, upstreamTakeId: chain.upstream.takeId, downstreamTakeId: chain.takeId });
    }
  }
  return out;
}

function toView(p: Pair, r: SeamScoresTable | undefined): SeamView {
  const ids = { upstreamShotId: p.upstreamShotId, downstreamShotId: p.downstreamShotId, upstreamTakeId: p.upstreamTakeId, downstreamTakeId: p.downstreamTakeId };
  if (!r) return { ...ids, status: 'pending' };
  // Number(): a PostgreSQL driver may hand a bigint over as a string.
  const at = new Date(Number(r.scored_at)).toISOString();
  if (r.status !== 'scored' || r.score === null) return { ...ids, status: 'not-scored', why: r.why ?? 'no reason was recorded', at };
  const m = { ssim: r.ssim ?? 0, colourDistance: r.colour_distance ?? 0, motion: r.motion ?? 0 };
  return { ...ids, status: 'scored', score: r.score, bad: isBadSeam(r.score), reasons: seamReasons(m), at, ...m };
}

/**
 * Whether a failure may pass: ffmpeg timed out (a busy machine) or could not start, or the file
 * system or blob store failed. A clip ffmpeg reads and refuses (SideError over any other
 * MediaError, or no frame) fails the same way every time.
 */
function passing(err: unknown): boolean {
  const cause = err instanceof SideError ? err.cause : err;
  if (cause instanceof MediaError) return cause.code === 'timeout' || cause.code === 'spawn_failed';
  return !(err instanceof SideError);
}

const keyOf = (p: Pair) => `${p.upstreamTakeId}\u0000${p.downstreamTakeId}`;

const unfinished = (t: TakeView) => t.status === 'queued' || t.status === 'running';

function takeWithoutClip(side: 'upstream' | 'downstream', t: TakeView): string {
  return `the ${side} take${t.number ? ` #${t.number}` : ''} has no clip (it ${t.status === 'succeeded' ? 'was stored without one' : `is ${t.status}`})`;
}
