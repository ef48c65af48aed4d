/**
 * The origin of this browser's own document writes. Everything the user does goes through
 * `board.edit` (one shared instance) or a text binding (one instance per bound field, so two
 * fields bound to the same Y.Text still update each other). The undo manager tracks exactly
 * this class (Y.UndoManager matches an origin by its constructor), so it undoes the user's own
 * edits and never a teammate's (provider origin) or the offline copy's (persistence origin).
 */
export class LocalEdit {
  constructor(readonly source?: unknown) {}
}

/** The origin of writes made through `board.edit`. */
export const BOARD_EDIT = new LocalEdit('board');
