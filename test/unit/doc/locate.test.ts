import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addShot, deleteShot, getPromptText, roots } from '../../../shared/doc/index.js';
import { Locator, type AnyType } from '../../../shared/doc/locate.js';

describe('Locator', () => {
  it('remembers places, but not past a deletion: a type deleted since it was located is dead', () => {
    const doc = new Y.Doc();
    const a = addShot(doc, { title: 'A', prompt: 'wide' });
    const locator = new Locator(new Map<AnyType, string>([...doc.share].map(([name, type]) => [type, name])), (name) => doc.getMap(name));
    const shot = roots(doc).shots.get(a) as Y.Map<unknown>;
    const prompt = getPromptText(doc, a);
    for (let i = 0; i < 2; i++) {
      expect(locator.locate(prompt)).toEqual({ kind: 'free', path: `shots.${a}.prompt` });
      expect(locator.locate(shot)).toMatchObject({ kind: 'entity', key: a, path: `shots.${a}`, map: shot });
    }
    deleteShot(doc, a);
    expect(locator.locate(prompt)).toEqual({ kind: 'dead' });
    expect(locator.locate(shot)).toEqual({ kind: 'dead' });
  });
});
