/**
 * Everything an export needs, read once: the shot list in order from the board document, each
 * shot's selected take, the job that made it (what was really sent: mode, prompt, references at
 * their versions, the chained tail) and the take's clip asset. Pure writers work from this.
 */
import { getMeta, getTake, listComments, listReferences, shotsInOrder, type MetaView, type ShotChain, type ShotView, type TakeView } from '../../shared/doc/index.js';
import type { JobResult, ResolvedInputs, VideoJobRequest } from '../../shared/generation/index.js';
import type { AssetsTable } from '../db/schema.js';
import type { ExportDeps } from './deps.js';
import { attachChains } from './chain-state.js';
import { attachSeams } from './seam-fields.js';
import type { SeamView } from '../../shared/seams.js';
import { userNames } from '../auth/auth.queries.js';
import { boardAssetsById, boardJobsById, boardTitle, memberNames } from './export.queries.js';
import type { ExportComment } from './markers.js';

/** A reference as the shot is assigned it now (for the shot list), resolved to a version. */
export interface AssignedReference {
  referenceId: string;
  name: string;
  kind: string;
  versionId: string;
  beat: string;
  /** False when the shot follows the reference's current version. */
  pinned: boolean;
}

/** Where a take came from: the job row, parsed. */
export interface Provenance {
  jobId: string;
  model: string;
  provider: string;
  request: VideoJobRequest;
  resolved: ResolvedInputs;
  result: JobResult | null;
  seed: number | null;
  /** Integer micro-dollars. */
  costMicroUsd: number | null;
}

export interface ExportShot {
  /** 1-based position in the shot list. */
  order: number;
  shot: ShotView;
  references: AssignedReference[];
  take?: TakeView;
  provenance?: Provenance;
  clip?: AssetsTable;
  /** Fresh, stale, kept anyway… (chain-state.ts); set by loadSnapshot. */
  chain?: ShotChain;
  /** The seam score of the chained cut into this shot (seam-fields.ts); set by loadSnapshot. */
  seam?: SeamView;
}

export interface ExportSnapshot {
  boardId: string;
  title: string;
  meta: MetaView;
  shots: ExportShot[];
  memberNames: Map<string, string>;
  /**
   * Every comment of the board with its author's display name (review markers, markers.ts);
   * read only when asked for (`loadSnapshot`'s `comments`, a format's `markers`), else empty.
   */
  comments: ExportComment[];
  /** Absolute origin for links (`PUBLIC_ORIGIN`). */
  origin: string;
}

/** Reads the board document and the rows it points at; the comments and their authors only with `comments`. */
export async function loadSnapshot(deps: Pick<ExportDeps, 'db' | 'hub' | 'publicOrigin'>, boardId: string, want: { comments?: boolean } = {}): Promise<ExportSnapshot> {
  const { meta, rows, comments } = await deps.hub.read(boardId, (doc) => {
    const refs = listReferences(doc);
    const rows = shotsInOrder(doc).map((shot) => ({
      shot,
      take: shot.selectedTake ? getTake(doc, shot.id, shot.selectedTake) : undefined,
      references: assigned(shot, refs),
    }));
    return { meta: getMeta(doc), rows, comments: want.comments ? listComments(doc) : [] };
  });
  const jobIds = rows.flatMap((r) => (r.take?.jobId ? [r.take.jobId] : []));
  const clipIds = rows.flatMap((r) => (r.take?.clip ? [r.take.clip] : []));
  const [jobs, clips, names, title, authors] = await Promise.all([
    boardJobsById(deps.db, boardId, jobIds),
    boardAssetsById(deps.db, boardId, clipIds),
    memberNames(deps.db, boardId),
    boardTitle(deps.db, boardId),
    // Authors who have since left the board still wrote their notes: named from the users table.
    userNames(deps.db, comments.flatMap((c) => (c.guestName === undefined ? [c.author] : []))),
  ]);
  const shots = rows.map((r, i): ExportShot => {
    const out: ExportShot = { order: i + 1, shot: r.shot, references: r.references };
    if (r.take) out.take = r.take;
    const job = r.take ? jobs.get(r.take.jobId) : undefined;
    if (job) {
      out.provenance = {
        jobId: job.id,
        model: job.model,
        provider: job.provider,
        request: JSON.parse(job.request) as VideoJobRequest,
        resolved: JSON.parse(job.resolved) as ResolvedInputs,
        result: job.result ? (JSON.parse(job.result) as JobResult) : null,
        seed: job.seed,
        costMicroUsd: job.cost_micro_usd,
      };
    }
    const clip = r.take?.clip ? clips.get(r.take.clip) : undefined;
    if (clip) out.clip = clip;
    return out;
  });
  attachChains(shots);
  await attachSeams(deps.db, boardId, shots);
  return { boardId, title: title || meta.title || 'Untitled board', meta, shots, memberNames: names,
    // A guest reviewer has no account: the name they typed, marked as a guest's.
    comments: comments.map((c) => ({ ...c, authorName: c.guestName !== undefined ? `${c.guestName} (guest)` : (authors.get(c.author) ?? 'A former member') })),
    origin: deps.publicOrigin.replace(/\/+$/, '') };
}

function assigned(shot: ShotView, refs: ReturnType<typeof listReferences>): AssignedReference[] {
  const out: AssignedReference[] = [];
  for (const [referenceId, pin] of Object.entries(shot.refs)) {
    const ref = refs.find((r) => r.id === referenceId);
    if (!ref) continue;
    const versionId = pin || ref.currentVersion;
    const version = ref.versions.find((v) => v.id === versionId);
    out.push({ referenceId, name: ref.name, kind: ref.kind, versionId, beat: version?.beat ?? '', pinned: Boolean(pin) });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
