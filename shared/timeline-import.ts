/**
 * What the server answers about a timeline file brought back from an edit suite (server/export/import/):
 * the changes against the board's current sequence, each accepted or not by its id, and the clips
 * it could not match to a shot and take (listed, never guessed). Shared with the client's review panel.
 */

/** An in/out pair in frames at the board's rate: first frame used, frame after the last. */
export interface FrameRange {
  inFrame: number;
  outFrame: number;
}

export type ImportChange =
  | { id: 'order'; kind: 'order'; summary: string; from: string[]; to: string[] }
  | { id: string; kind: 'trim'; summary: string; shotId: string; takeId: string; selected: boolean; from: FrameRange; to: FrameRange; sourceFrames: number }
  | { id: string; kind: 'remove'; summary: string; shotId: string }
  | { id: string; kind: 'restore'; summary: string; shotId: string }
  | { id: string; kind: 'transition'; summary: string; shotId: string; from: number; to: number };

export type ImportChangeKind = ImportChange['kind'];

/** A clip of the file that names no shot and take of this board (or names one twice). */
export interface ImportUnknown {
  /** Where in the file: "line 12", "<asset-clip> at line 40", "track 1, item 3". */
  at: string;
  name: string;
  reason: string;
}

export interface TimelineImportDiff {
  format: 'otio' | 'fcpxml' | 'edl';
  fps: number;
  /** Clips matched to a shot of this board. */
  matched: number;
  changes: ImportChange[];
  unknown: ImportUnknown[];
  /** What was read but not used (other tracks, wipes read as cuts). */
  notes: string[];
}

export interface TimelineImportResult {
  /** The ids of the changes written to the board. */
  applied: string[];
  /** The file against the board as it is now (what is left to accept). */
  diff: TimelineImportDiff;
}
