import { createSignal, onCleanup, type Accessor } from 'solid-js';

/** Followers further than this from the leader (seconds) are moved back onto it. */
const MAX_DRIFT_SEC = 0.06;

export interface SyncedPlayback {
  playing: Accessor<boolean>;
  time: Accessor<number>;
  duration: Accessor<number>;
  toggle(): void;
  seek(sec: number): void;
  /** Registers a video element (call from its ref); it leaves when the component cleans up. */
  add(video: HTMLVideoElement): void;
}

/**
 * Plays several videos as one: one play/pause/seek drives them all. The longest clip leads; on
 * every animation frame while playing, a follower that drifted from the leader is put back on it
 * (a follower shorter than the leader stays on its last frame once it ends).
 */
export function createSyncedPlayback(): SyncedPlayback {
  const [videos, setVideos] = createSignal<HTMLVideoElement[]>([]);
  const [playing, setPlaying] = createSignal(false);
  const [time, setTime] = createSignal(0);
  const [duration, setDuration] = createSignal(0);
  let raf = 0;
  const len = (v: HTMLVideoElement) => (Number.isFinite(v.duration) ? v.duration : 0);
  const leader = () => videos().reduce<HTMLVideoElement | undefined>((best, v) => (!best || len(v) > len(best) ? v : best), undefined);

  const align = (lead: HTMLVideoElement) => {
    for (const v of videos()) {
      if (v === lead || v.seeking) continue;
      const target = Math.min(lead.currentTime, len(v));
      if (Math.abs(v.currentTime - target) > MAX_DRIFT_SEC) v.currentTime = target;
      if (!lead.paused && v.paused && target < len(v)) void v.play().catch(() => undefined);
    }
  };
  const tick = () => {
    const lead = leader();
    if (lead) {
      setTime(lead.currentTime);
      align(lead);
    }
    raf = playing() ? requestAnimationFrame(tick) : 0;
  };
  const stop = () => {
    setPlaying(false);
    cancelAnimationFrame(raf);
    raf = 0;
    for (const v of videos()) v.pause();
    const lead = leader();
    if (lead) {
      setTime(lead.currentTime);
      align(lead);
    }
  };
  const onEnded = (e: Event) => {
    if (e.currentTarget === leader()) stop();
  };
  const onMeta = () => setDuration(Math.max(0, ...videos().map(len)));
  onCleanup(() => {
    cancelAnimationFrame(raf);
    for (const v of videos()) {
      v.removeEventListener('ended', onEnded);
      v.removeEventListener('loadedmetadata', onMeta);
    }
  });

  return {
    playing,
    time,
    duration,
    toggle() {
      if (playing()) return stop();
      const lead = leader();
      const restart = lead !== undefined && lead.currentTime >= len(lead) - 0.01;
      for (const v of videos()) {
        if (restart) v.currentTime = 0;
        if (v.currentTime < len(v)) void v.play().catch(() => undefined);
      }
      setPlaying(true);
      if (!raf) raf = requestAnimationFrame(tick);
    },
    seek(sec) {
      for (const v of videos()) v.currentTime = Math.min(Math.max(0, sec), len(v));
      setTime(sec);
    },
    add(video) {
      video.addEventListener('ended', onEnded);
      video.addEventListener('loadedmetadata', onMeta);
      setVideos((list) => [...list, video]);
      if (video.readyState >= 1) onMeta();
      onCleanup(() => {
        video.removeEventListener('ended', onEnded);
        video.removeEventListener('loadedmetadata', onMeta);
        setVideos((list) => list.filter((v) => v !== video));
      });
    },
  };
}
