import { For } from 'solid-js';
import type { TakeView } from '../../../../shared/doc';
import { createSyncedPlayback } from './sync-playback';
import { TakePlayer } from './take-player';

const clock = (s: number) => `${Math.floor(s / 60)}:${(s % 60).toFixed(1).padStart(4, '0')}`;

/** Two takes side by side with one play/pause and one seek bar above them, kept in step frame by frame. */
export function TakeCompare(props: { shotId: string; takes: TakeView[]; label: (take: TakeView) => string }) {
  const sync = createSyncedPlayback();
  return (
    <div class="compare-wrap" aria-label="Compare takes">
      <div class="sync-controls">
        <button type="button" class="primary" aria-label={sync.playing() ? 'Pause both' : 'Play both'} onClick={() => sync.toggle()}>
          {sync.playing() ? '❚❚' : '▶'}
        </button>
        <input
          type="range"
          aria-label="Seek both"
          min="0"
          max={sync.duration() || 0}
          step="0.01"
          value={sync.time()}
          onInput={(e) => sync.seek(Number(e.currentTarget.value))}
        />
        <span class="muted sync-time">
          {clock(sync.time())} / {clock(sync.duration())}
        </span>
      </div>
      <div class="players compare">
        <For each={props.takes}>{(t) => <TakePlayer shotId={props.shotId} take={t} label={props.label(t)} controls={false} onVideo={sync.add} />}</For>
      </div>
    </div>
  );
}
