import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addShot, getPromptText, roots } from '../../../shared/doc/index.js';
import { createHistoryRecorder } from '../../../server/history/recorder.js';

/** A server document whose accepted transactions go through the recorder, as the hub's room does. */
function setup() {
  let now = 0;
  const doc = new Y.Doc();
  const shot = addShot(doc, { title: 'Pier', prompt: 'fog' });
  const rec = createHistoryRecorder(() => now);
  const recorded: unknown[] = [];
  const edit = (userId: string, fn: () => void) => {
    const on = (tr: Y.Transaction) => recorded.push(...rec.record(tr, userId));
    doc.on('afterTransaction', on);
    doc.transact(fn);
    doc.off('afterTransaction', on);
  };
  return { doc, shot, rec, recorded, edit, tick: (ms: number) => (now += ms) };
}

describe('history recorder', () => {
  it('opens an entry with the text before; the typed text after that is read only by the timer, never in an edit', () => {
    const { doc, shot, rec, recorded, edit, tick } = setup();
    const prompt = getPromptText(doc, shot);
    edit('bo', () => prompt.insert(3, ' at'));
    expect(recorded).toEqual([{ shotId: shot, field: 'prompt', before: 'fog', after: 'fog at' }]);
    for (const ch of ' dawn') {
      tick(100);
      edit('bo', () => prompt.insert(prompt.length, ch));
    }
    expect(recorded).toHaveLength(1); // typing: nothing read, nothing stored in the edit
    expect(rec.takeDirty()).toEqual([{ userId: 'bo', changes: [{ shotId: shot, field: 'prompt', before: '', after: 'fog at dawn', extendOnly: true }] }]);
    expect(rec.takeDirty()).toEqual([]);
    tick(1500);
    edit('bo', () => prompt.insert(0, 'grey '));
    expect(recorded).toHaveLength(1); // a second later still nothing in the edit's own path
    expect(rec.takeDirty()).toEqual([{ userId: 'bo', changes: [{ shotId: shot, field: 'prompt', before: '', after: 'grey fog at dawn', extendOnly: true }] }]);
  });

  it('keeps one entry per person, and a new one after a long pause', () => {
    const { doc, shot, recorded, edit, tick } = setup();
    const prompt = getPromptText(doc, shot);
    edit('bo', () => prompt.insert(3, '!'));
    edit('ana', () => prompt.insert(0, '>'));
    expect(recorded).toEqual([
      { shotId: shot, field: 'prompt', before: 'fog', after: 'fog!' },
      { shotId: shot, field: 'prompt', before: 'fog!', after: '>fog!' },
    ]);
    tick(10 * 60_000);
    edit('bo', () => prompt.delete(0, 1));
    expect(recorded.at(-1)).toEqual({ shotId: shot, field: 'prompt', before: '>fog!', after: 'fog!' });
  });

  it('opens a new entry when the field holds a new text, and the timer reads only that one', () => {
    const { doc, shot, rec, recorded, edit } = setup();
    edit('bo', () => getPromptText(doc, shot).insert(3, '!'));
    edit('bo', () => getPromptText(doc, shot).insert(4, '!'));
    doc.transact(() => (roots(doc).shots.get(shot) as Y.Map<unknown>).set('prompt', new Y.Text('mist')));
    edit('bo', () => getPromptText(doc, shot).insert(4, '?'));
    expect(recorded).toEqual([
      { shotId: shot, field: 'prompt', before: 'fog', after: 'fog!' },
      { shotId: shot, field: 'prompt', before: 'mist', after: 'mist?' },
    ]);
    expect(rec.takeDirty()).toEqual([]);
    edit('bo', () => getPromptText(doc, shot).insert(0, '>'));
    expect(rec.takeDirty()).toEqual([{ userId: 'bo', changes: [{ shotId: shot, field: 'prompt', before: '', after: '>mist?', extendOnly: true }] }]);
  });
});
