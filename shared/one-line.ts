/**
 * Characters that end or reorder a line in some reader, for text that must stay on one line
 * (EDL comments, a review note sent after a prompt). Client-safe: no Node or DOM imports.
 */

/** Every control character (C0, DEL and C1, which holds NEL U+0085) and the Unicode line and paragraph separators. */
export const LINE_BREAKS = /[\p{Cc}\u2028\u2029]+/gu;

/** Bidirectional embeddings, overrides, isolates and marks: on one line they would show the rest of it reversed. */
export const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
