import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { bindText, diff, shift } from './text-binding';

/** Just enough of a <textarea> for the binding: value, selection, input events, focus. */
class FakeField extends EventTarget {
  value = '';
  selectionStart = 0;
  selectionEnd = 0;
  selectionDirection: 'forward' | 'backward' | 'none' = 'none';
  /** Each fake field has the focus in its own window. */
  get ownerDocument() {
    return { activeElement: this };
  }
  setSelectionRange(s: number, e: number) {
    this.selectionStart = s;
    this.selectionEnd = e;
  }
  /** Types `text` at the caret like a user would. */
  type(text: string) {
    const at = this.selectionEnd;
    this.value = this.value.slice(0, at) + text + this.value.slice(at);
    this.setSelectionRange(at + text.length, at + text.length);
    this.dispatchEvent(new Event('input'));
  }
}

function pair() {
  const a = new Y.Doc();
  const b = new Y.Doc();
  // Deliver updates by hand, so the test decides when the "network" runs.
  const queues = { toA: [] as Uint8Array[], toB: [] as Uint8Array[] };
  a.on('update', (u: Uint8Array, o: unknown) => o !== 'net' && queues.toB.push(u));
  b.on('update', (u: Uint8Array, o: unknown) => o !== 'net' && queues.toA.push(u));
  const flush = () => {
    for (const u of queues.toA.splice(0)) Y.applyUpdate(a, u, 'net');
    for (const u of queues.toB.splice(0)) Y.applyUpdate(b, u, 'net');
  };
  return { a, b, flush };
}

describe('text binding', () => {
  it('turns an edit into one delete/insert at the caret', () => {
    expect(diff('aa', 'aaa', 1)).toEqual({ start: 0, removed: 0, inserted: 'a' });
    expect(diff('aa', 'a', 0)).toEqual({ start: 0, removed: 1, inserted: '' });
    expect(diff('hello world', 'hello brave world', 12)).toEqual({ start: 6, removed: 0, inserted: 'brave ' });
    expect(diff('abc', 'aXc', 2)).toEqual({ start: 1, removed: 1, inserted: 'X' });
  });

  it('never cuts an emoji in half when one is swapped for another', () => {
    expect(diff('a😀b', 'a😃b', 3)).toEqual({ start: 1, removed: 2, inserted: '😃' });
    expect(diff('a\uD83D\uDE00', 'a\uD83E\uDE00', 3)).toEqual({ start: 1, removed: 2, inserted: '\uD83E\uDE00' });
  });

  it('moves the caret past remote text inserted before it, not at it', () => {
    expect(shift(5, [{ retain: 2 }, { insert: 'xyz' }])).toBe(8);
    expect(shift(5, [{ retain: 5 }, { insert: 'xyz' }])).toBe(5);
    expect(shift(5, [{ retain: 1 }, { delete: 2 }])).toBe(3);
    expect(shift(5, [{ retain: 3 }, { delete: 10 }])).toBe(3);
  });

  it('merges two people typing into one text without splitting their words', () => {
    const { a, b, flush } = pair();
    a.getText('t').insert(0, 'Camera glides. ');
    flush();
    const fa = new FakeField();
    const fb = new FakeField();
    bindText(fa as unknown as HTMLTextAreaElement, a.getText('t'));
    bindText(fb as unknown as HTMLTextAreaElement, b.getText('t'));
    fa.setSelectionRange(fa.value.length, fa.value.length);
    fb.setSelectionRange(fb.value.length, fb.value.length);
    // Interleaved keystrokes with the network delivering in between.
    for (const [ca, cb] of [['R', 'N'], ['a', 'i'], ['i', 'g'], ['n', 'h'], ['.', 't']] as const) {
      fa.type(ca);
      fb.type(cb);
      flush();
    }
    expect(fa.value).toBe(fb.value);
    expect(fa.value).toMatch(/^Camera glides\. (Rain\.Night|NightRain\.)$/);
    expect(a.getText('t').toString()).toBe(fa.value);
  });
});
