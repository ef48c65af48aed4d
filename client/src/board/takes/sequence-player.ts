/**
 * Plays a sequence plan (shared/sequence/plan.ts) in the browser: one clock in sequence seconds,
 * three <video> elements taking turns (cut i plays in element i % 3, so the next cut is loaded
 * and the previous one can still fade out), slates as a card for their length.
 *
 * During a take the clock follows its video (video time minus the cut's source in, plus its
 * record in), so picture and clock never drift; during a slate, or after a clip ran out before
 * its planned end, it follows the wall clock. A cut starts exactly at its plan record-in: that is
 * the moment the clock moves past it, whichever element is playing.
 */
import { createSignal, onCleanup, type Accessor } from 'solid-js';
import type { PlanCut, SequencePlan } from '../../../../shared/sequence/plan';
import { framesToSeconds } from '../../../../shared/sequence/rate';

const SLOTS = 3;

export interface SequencePlayer {
  /** Sequence time in seconds. */
  time: Accessor<number>;
  playing: Accessor<boolean>;
  /** Index into plan.cuts of the cut on screen (the incoming one during a crossfade). */
  current: Accessor<number>;
  /** Opacity of the incoming cut during a crossfade (1 otherwise). */
  fade: Accessor<number>;
  /** The cut index each video element holds (-1: none). */
  slotCut: Accessor<number[]>;
  play(): void;
  pause(): void;
  seek(seconds: number): void;
  /** Call when the plan changes: keeps the time, reloads what is on screen. */
  replan(): void;
}

export function createSequencePlayer(plan: Accessor<SequencePlan>, videos: () => HTMLVideoElement[], clipUrl: (clipId: string) => string): SequencePlayer {
  const [time, setTime] = createSignal(0);
  const [playing, setPlaying] = createSignal(false);
  const [current, setCurrent] = createSignal(0);
  const [fade, setFade] = createSignal(1);
  const [slotCut, setSlotCut] = createSignal<number[]>(Array(SLOTS).fill(-1));
  let frame = 0;
  let lastWall = 0;

  const sec = (frames: number) => framesToSeconds(frames, plan().rate);
  const total = () => sec(plan().frames);
  const start = (c: PlanCut) => sec(c.recordIn);
  const end = (c: PlanCut) => sec(c.recordIn + c.frames);
  const fadeSec = (c: PlanCut | undefined) => (c?.transition.kind === 'crossfade' ? sec(c.transition.frames) : 0);
  const video = (i: number) => videos()[i % SLOTS];

  /** The last cut starting at or before `t`. */
  function cutAt(t: number): number {
    const cuts = plan().cuts;
    let lo = 0;
    let hi = cuts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (start(cuts[mid]!) <= t + 1e-9) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /**
   * Puts cut i into its element at the source time for sequence time `t` (its in point when `t`
   * is before it). While playing, an element already holding the cut is left alone (`exact`
   * false): re-seeking a playing clip every frame would stutter.
   */
  function load(i: number, t: number, exact: boolean): void {
    const cut = plan().cuts[i];
    const v = video(i);
    if (!cut || !v) return;
    const slot = i % SLOTS;
    const held = slotCut()[slot] === i;
    if (cut.kind === 'take') {
      const src = clipUrl(cut.clipId);
      if (v.getAttribute('src') !== src) {
        v.preload = 'auto';
        v.setAttribute('src', src);
      }
      const at = sec(cut.inFrame) + Math.max(0, t - start(cut));
      if ((exact || !held) && Math.abs(v.currentTime - at) > 0.02) v.currentTime = at;
    }
    const want = cut.kind === 'take' ? i : -1;
    if (slotCut()[slot] !== want) setSlotCut(slotCut().map((c, s) => (s === slot ? want : c)));
  }

  /** Shows the cut at `t`, the one fading out under it, and loads the next. */
  function place(t: number, exact: boolean): void {
    const cuts = plan().cuts;
    if (cuts.length === 0) return;
    const i = cutAt(t);
    const cut = cuts[i]!;
    const f = fadeSec(cut);
    const inFade = f > 0 && t < start(cut) + f;
    if (inFade) load(i - 1, t, exact);
    load(i, t, exact);
    if (i + 1 < cuts.length) load(i + 1, start(cuts[i + 1]!), exact);
    setCurrent(i);
    setFade(inFade ? Math.min(1, Math.max(0, (t - start(cut)) / f)) : 1);
    // Only the elements on screen play.
    videos().forEach((v, s) => {
      const held = slotCut()[s]!;
      const onScreen = held >= 0 && (held === i || (inFade && held === i - 1));
      if (playing() && onScreen && v.paused && !v.ended && t < end(cuts[held]!)) {
        // Refused (no user gesture yet): stop the clock rather than wait for a picture that never comes.
        // An AbortError only means a pause came first.
        void v.play().catch((err: unknown) => {
          if (err instanceof DOMException && err.name === 'NotAllowedError') api.pause();
        });
      }
      if ((!playing() || !onScreen) && !v.paused) v.pause();
    });
  }

  function tick(wall: number): void {
    frame = 0;
    if (!playing()) return;
    const dt = Math.max(0, (wall - lastWall) / 1000);
    lastWall = wall;
    const cuts = plan().cuts;
    const cut = cuts[current()];
    let t = time();
    const v = cut?.kind === 'take' ? video(current()) : undefined;
    if (!cut || !v || v.ended) t += dt;
    // Follow the clip once it plays; hold the clock while it loads or seeks.
    else if (v.readyState >= 3 && !v.paused && !v.seeking) t = Math.max(t, start(cut) + v.currentTime - sec(cut.inFrame));
    if (t >= total()) {
      setTime(total());
      setPlaying(false);
      place(total(), true);
      return;
    }
    setTime(t);
    place(t, false);
    frame = requestAnimationFrame(tick);
  }

  const api: SequencePlayer = {
    time,
    playing,
    current,
    fade,
    slotCut,
    play() {
      if (plan().cuts.length === 0) return;
      if (time() >= total() - 1e-6) setTime(0);
      setPlaying(true);
      place(time(), true);
      lastWall = performance.now();
      if (!frame) frame = requestAnimationFrame(tick);
    },
    pause() {
      setPlaying(false);
      place(time(), true);
    },
    seek(seconds) {
      const t = Math.min(Math.max(0, seconds), total());
      setTime(t);
      lastWall = performance.now();
      place(t, true);
    },
    replan() {
      setSlotCut(Array(SLOTS).fill(-1));
      api.seek(Math.min(time(), total()));
    },
  };
  onCleanup(() => {
    if (frame) cancelAnimationFrame(frame);
  });
  return api;
}
