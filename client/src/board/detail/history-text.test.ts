import { describe, expect, it } from 'vitest';
import { changeSentence, shortDiff, valueWords, type HistoryNames } from './history-text';

const names: HistoryNames = {
  model: (id) => (id === 'animatic' ? 'Animatic (local)' : undefined),
  member: (id) => (id === 'u1' ? 'Bo' : undefined),
  shot: () => undefined,
  take: (id) => (id === 't1' ? 'take 1' : undefined),
  reference: (id) => (id === 'r1' ? 'Mara' : undefined),
};

describe('shot history wording', () => {
  it('says who changed which field', () => {
    expect(changeSentence({ field: 'prompt', userName: 'Bo' })).toBe('Bo changed prompt');
    expect(changeSentence({ field: 'created', userName: 'Ana' })).toBe('Ana created the shot');
    expect(changeSentence({ field: 'durationSec', userName: '' })).toBe('A former member changed duration');
  });

  it('shows only the changed middle with some context', () => {
    expect(shortDiff('fog over the water', 'mist over the water')).toEqual({ head: '', removed: 'fog', added: 'mist', tail: ' over the water' });
    const long = shortDiff(`${'a'.repeat(50)} red ${'b'.repeat(50)}`, `${'a'.repeat(50)} blue ${'b'.repeat(50)}`, 5);
    expect(long).toEqual({ head: '…aaaa ', removed: 'red', added: 'blue', tail: ' bbbb…' });
  });

  it('names picked values in words', () => {
    expect(valueWords('model', 'animatic', names)).toBe('Animatic (local)');
    expect(valueWords('assignee', 'u1', names)).toBe('Bo');
    expect(valueWords('assignee', '', names)).toBe('none');
    expect(valueWords('refs', 'r1,r9', names)).toBe('Mara, a deleted reference');
    expect(valueWords('durationSec', '8', names)).toBe('8 s');
    expect(valueWords('bible:voice', 'drop', names)).toBe('none sent');
    expect(valueWords('bible:character', 'replace', names)).toBe('its own instead');
    expect(valueWords('leftOut', 'true', names)).toBe('left out');
    expect(valueWords('fadeInSec', '0', names)).toBe('a hard cut');
    expect(valueWords('fadeInSec', '', names)).toBe('the board’s usual');
    expect(changeSentence({ field: 'bible:voice', userName: 'Bo' })).toBe('Bo changed bible voices');
  });
});
