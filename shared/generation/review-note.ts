/**
 * "Regenerate from note": a review comment's text added to the shot's prompt for one new take.
 * The note goes after the prompt as its own final paragraph, labelled and quoted, on one line, so
 * a model (and a person reading the take's "Prompt as sent") can tell the shot's words from the
 * reviewer's, and no note can start a paragraph of its own or close the quote early.
 */
import { BIDI_CONTROLS, LINE_BREAKS } from '../one-line.js';
import { MAX_PROMPT_CHARS } from './validate.js';

/** Longest note sent with a prompt, in characters after it is made one line. */
export const MAX_NOTE_CHARS = 500;

/** The label the note's paragraph starts with. */
export const NOTE_LABEL = 'Review note to apply';

/** The comment a take answers and the note as it was sent. */
export interface ReviewNote {
  commentId: string;
  text: string;
}

/** The note on one line: no breaks or bidi controls, straight double quotes made single, whitespace collapsed. */
export function noteLine(text: string): string {
  return text.replace(LINE_BREAKS, ' ').replace(BIDI_CONTROLS, '').replace(/["\u201c\u201d]/g, "'").replace(/\s+/g, ' ').trim();
}

/** The prompt sent for a take answering `note`. */
export function promptWithNote(prompt: string, note: string): string {
  const paragraph = `${NOTE_LABEL}: "${noteLine(note)}"`;
  const base = prompt.trimEnd();
  return base ? `${base}\n\n${paragraph}` : paragraph;
}

/** Why this note cannot be sent with this prompt, in words for the person asking; undefined when it can. */
export function noteProblem(prompt: string, note: string): string | undefined {
  const line = noteLine(note);
  if (!line) return 'This comment has no text to send.';
  if (line.length > MAX_NOTE_CHARS) return `The note is ${line.length} characters; at most ${MAX_NOTE_CHARS} are sent with a prompt. Put the part that matters in the shot's prompt instead.`;
  const length = promptWithNote(prompt, note).length;
  if (length > MAX_PROMPT_CHARS) {
    return `The shot's prompt with this note is ${length} characters; a prompt may have at most ${MAX_PROMPT_CHARS}. Shorten the shot's prompt first.`;
  }
  return undefined;
}
