/**
 * Where a link into a board points (a notification's): `?shot=&take=&t=&comment=`. The board
 * opens that shot, plays that take from `t` seconds and marks the comment. Malformed values are
 * ignored, not guessed at.
 */
import { useSearchParams } from '@solidjs/router';
import { createEffect, untrack, type Accessor } from 'solid-js';

export interface Jump {
  shotId: string;
  takeId?: string;
  atSec?: number;
  commentId?: string;
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The link for a place on a board (the inverse of `createJump`). */
export function jumpHref(boardId: string, to: Partial<Jump>): string {
  const q = new URLSearchParams();
  if (to.shotId) q.set('shot', to.shotId);
  if (to.takeId) q.set('take', to.takeId);
  if (to.atSec !== undefined && to.atSec !== null) q.set('t', String(to.atSec));
  if (to.commentId) q.set('comment', to.commentId);
  const query = q.toString();
  return `/boards/${encodeURIComponent(boardId)}${query ? `?${query}` : ''}`;
}

/** The place the address names now (changes when a link to the same board is followed). */
export function createJump(): Accessor<Jump | null> {
  const [params] = useSearchParams<{ shot?: string; take?: string; t?: string; comment?: string }>();
  return () => {
    const shotId = params.shot;
    if (typeof shotId !== 'string' || !ID.test(shotId)) return null;
    const jump: Jump = { shotId };
    if (typeof params.take === 'string' && ID.test(params.take)) jump.takeId = params.take;
    const t = typeof params.t === 'string' ? Number(params.t) : NaN;
    if (Number.isFinite(t) && t >= 0) jump.atSec = t;
    if (typeof params.comment === 'string' && ID.test(params.comment)) jump.commentId = params.comment;
    return jump;
  };
}

/**
 * Runs `act` once per link followed, as soon as `ready` says what it points at is there (the
 * board loaded, the take listed); never again for the same link, so it never undoes what the
 * person did afterwards.
 */
export function onJump(jump: Accessor<Jump | null>, ready: (j: Jump) => boolean, act: (j: Jump) => void): void {
  let done = '';
  createEffect(() => {
    const j = jump();
    const key = j ? JSON.stringify(j) : '';
    if (!j || key === done || !ready(j)) return;
    done = key;
    untrack(() => act(j));
  });
}
