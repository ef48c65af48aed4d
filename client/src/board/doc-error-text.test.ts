import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DocError, addShot, setMeta, setShotFields } from '../../../shared/doc';
import { docErrorText } from './doc-error-text';

const refusal = (fn: () => void): DocError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof DocError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
};

describe('docErrorText', () => {
  const doc = new Y.Doc();
  const shot = addShot(doc, { title: 'Alley' });
  it('names the field and what it accepts, without schema wording', () => {
    const dur = docErrorText(refusal(() => setShotFields(doc, shot, { durationSec: 0 })));
    expect(dur).toBe('Duration (seconds): more than 0, up to 60');
    expect(docErrorText(refusal(() => setMeta(doc, { budgetMicroUsd: -1 })))).toBe('Budget (USD): 0 or more');
    expect(docErrorText(refusal(() => setMeta(doc, { aspectRatio: '2:1' as never })))).toBe('Aspect ratio: one of 16:9, 9:16, 1:1, 4:3 or 21:9');
    expect(docErrorText(refusal(() => setMeta(doc, { sprintEnd: 'next tuesday' })))).toBe('Sprint end: a date');
    for (const t of [dur]) expect(t).not.toMatch(/finite|expected|\(0|shots\.|got/);
  });
  it('leaves other refusals as they are', () => {
    expect(docErrorText(new DocError('not_found', 'shot "x" not found'))).toBe('shot "x" not found');
  });
});
