import { describe, expect, it } from 'vitest';
import { insertMention, matchMembers, mentionAt, mentionedIds, splitMentions } from './mentions';

const people = [
  { userId: 'u1', name: 'Zoë Łukasiewicz' },
  { userId: 'u2', name: 'Kenji Mori' },
  { userId: 'u3', name: 'Ana Lisboa' },
  { userId: 'u4', name: 'Ana' },
];

describe('@mentions', () => {
  it('finds the mention being typed only after a space or at the start', () => {
    expect(mentionAt('look @ke', 8)).toEqual({ at: 5, query: 'ke' });
    expect(mentionAt('@', 1)).toEqual({ at: 0, query: '' });
    expect(mentionAt('@Kenji Mo', 9)).toEqual({ at: 0, query: 'Kenji Mo' });
    expect(mentionAt('mail me@example.com', 19)).toBeNull();
    expect(mentionAt('@a b c', 6)).toBeNull();
    expect(mentionAt('no at here', 10)).toBeNull();
  });

  it('matches names and their words without case or accents, whole-name starts first', () => {
    expect(matchMembers(people, 'zoe').map((m) => m.userId)).toEqual(['u1']);
    expect(matchMembers(people, 'luk').map((m) => m.userId)).toEqual(['u1']);
    expect(matchMembers(people, 'ana').map((m) => m.name)).toEqual(['Ana', 'Ana Lisboa']);
    expect(matchMembers(people, 'mori').map((m) => m.userId)).toEqual(['u2']);
    expect(matchMembers(people, '').length).toBe(4);
    expect(matchMembers(people, 'x')).toEqual([]);
  });

  it('writes the picked name in place of the query; the mentions are the members named in the text', () => {
    const q = mentionAt('hi @ke there', 6)!;
    expect(insertMention('hi @ke there', 6, q, 'Kenji Mori')).toEqual({ text: 'hi @Kenji Mori there', caret: 15 });
    expect(mentionedIds('hi @Kenji Mori and @Ana, @Kenji Mori again', people)).toEqual(['u2', 'u4']);
    expect(mentionedIds('@Ana Lisboa only', people)).toEqual(['u3']);
    expect(mentionedIds('nobody, not Kenji Mori', people)).toEqual([]);
  });

  it('marks the mentioned names in a comment, the longest name first', () => {
    expect(splitMentions('@Ana Lisboa and @Ana, see 0:04', [people[2]!, people[3]!])).toEqual([
      { text: '@Ana Lisboa', userId: 'u3' },
      { text: ' and ' },
      { text: '@Ana', userId: 'u4' },
      { text: ', see 0:04' },
    ]);
    expect(splitMentions('plain (text) [x]', [])).toEqual([{ text: 'plain (text) [x]' }]);
  });
});
