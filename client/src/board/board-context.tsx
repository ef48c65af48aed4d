/**
 * Everything a board screen needs, built once per open board and torn down when it closes:
 * the live connection, the document bridge, presence, the asset library, models and job queue
 * (each with its own loading and error state), members, selection.
 */
import { createContext, createEffect, createResource, createSignal, onCleanup, untrack, useContext, type Accessor, type JSX } from 'solid-js';
import type * as Y from 'yjs';
import { useNavigate } from '@solidjs/router';
import { roleAtLeast, type BoardSummary, type Member, type Role, type User } from '../../../shared/api';
import { isRoleRefusal, SYNC_CLOSE, type ChangedBy } from '../../../shared/sync';
import { addShot, DocError } from '../../../shared/doc';
import { useApi } from '../api/context';
import { useToast, errorText } from '../ui/toast';
import { createBoardConnection, type BoardConnection } from './connection';
import { createChains, type Chains } from './chain';
import { docErrorText } from './doc-error-text';
import { createDocBridge, type BoardState } from './doc-bridge';
import { createLibrary, type Library } from './assets/library';
import { createJobQueue, type JobQueue } from './generation/job-queue';
import { createModels, type Models } from './generation/models';
import { BOARD_EDIT } from './local-edit';
import { createJump, type Jump } from './jump';
import { createPresence, type Presence } from './presence';
import { createUndo, type Undo } from './undo';

export type BoardTab = 'shots' | 'references' | 'matrix' | 'sequence' | 'costs';

export interface BoardContextValue {
  boardId: string;
  title: Accessor<string>;
  role: Accessor<Role>;
  /** The last change of my role while the board was open (`by` who, when the server said). */
  roleChange: Accessor<{ role: Role; by?: ChangedBy } | null>;
  dismissRoleChange(): void;
  /** Editors and owners edit shots, references and settings, and generate. */
  canEdit: Accessor<boolean>;
  /** Commenters and up comment, resolve their own threads and approve takes. */
  canComment: Accessor<boolean>;
  /** The board is archived: read-only for everyone until an owner restores it. */
  archived: Accessor<boolean>;
  /** Takes the board's role, name and archived state from an answer of the boards API. */
  applySummary(b: BoardSummary): void;
  isOwner: Accessor<boolean>;
  me: User;
  conn: BoardConnection;
  doc: Y.Doc;
  state: BoardState;
  /** Every shot's chain state (fresh, stale, kept anyway…), computed from `state`. */
  chains: Chains;
  presence: Presence;
  /** The board's uploaded and generated files (frame pickers, send plans). */
  library: Library;
  /** The models this server lists. */
  models: Models;
  /** The board's jobs with their ETAs, and live progress per take. */
  queue: JobQueue;
  members: Accessor<Member[]>;
  refetchMembers(): void;
  /** The shot shown in the detail panel. */
  selected: Accessor<string | null>;
  select(shotId: string | null): void;
  tab: Accessor<BoardTab>;
  setTab(tab: BoardTab): void;
  /** The shot, take and time the address points at (a notification's link), if any. */
  jump: Accessor<Jump | null>;
  /**
   * Runs a document write (through shared/doc accessors) if my role is at least `needs` (editor
   * unless said: comments and approvals need commenter); a refused value (DocError) becomes a
   * message instead of an exception. Returns fn's result or undefined.
   */
  edit<T>(fn: (doc: Y.Doc) => T, needs?: Role): T | undefined;
  /** Adds a shot (after `after`, else at the end) with the board's default model; returns its id. */
  addShot(after?: string): string | undefined;
  /** Undo and redo of this user's own edits (see undo.ts); `history` runs one and says why not. */
  undo: Undo;
  history(dir: 'undo' | 'redo'): void;
}

const BoardContext = createContext<BoardContextValue>();

export function BoardProvider(props: { board: BoardSummary; me: User; children: JSX.Element }) {
  const api = useApi();
  const toast = useToast();
  const navigate = useNavigate();
  const boardId = props.board.id;
  const [role, setRole] = createSignal<Role>(props.board.role);
  const [title, setTitle] = createSignal(props.board.title);
  const [archived, setArchived] = createSignal(props.board.archivedAt !== null);
  const conn = createBoardConnection({ boardId, userId: props.me.id, origin: location.origin });
  // The socket's word on the role wins once it has spoken (it is told every change at once).
  const applySummary = (b: BoardSummary) => {
    if (!conn.role()) setRole(b.role);
    setTitle(b.title);
    setArchived(b.archivedAt !== null);
  };
  const bridge = createDocBridge(conn.doc);
  const undo = createUndo(conn.doc, props.me.id);
  const presence = createPresence(conn.awareness);
  const library = createLibrary(api, boardId);
  const models = createModels(api);
  const queue = createJobQueue(api, boardId);
  const [members, { refetch }] = createResource(() => api.members(boardId), { initialValue: [] });
  const [selected, setSelected] = createSignal<string | null>(null);
  const [tab, setTab] = createSignal<BoardTab>('shots');
  const jump = createJump();
  // Teammates see which shot I have open, labelled with my name and city.
  createEffect(() => presence.setSelection(selected()));

  // Roles change while a board is open. The socket is told at once (a board notice, with who
  // changed it) and the UI follows; the API is asked only while the socket has not said (offline),
  // when the server refuses a write, when the window regains focus, and now and then.
  const [roleChange, setRoleChange] = createSignal<{ role: Role; by?: ChangedBy } | null>(null);
  createEffect(() => {
    const told = conn.role();
    if (!told || told.role === untrack(role)) return;
    setRole(told.role);
    setRoleChange(told);
  });
  const refreshRole = () =>
    api.board(boardId).then(applySummary, () => undefined);
  createEffect(() => {
    if (isRoleRefusal(conn.notice())) void refreshRole();
  });
  // Archiving and restoring reach every open page at once (the socket is told).
  createEffect(() => {
    const told = conn.archived();
    if (told !== null) setArchived(told);
  });
  // Everyone's member list follows joins, removals and role changes live.
  createEffect(() => {
    if (conn.membersChanged() > 0) void refetch();
  });
  // Removed (or no longer a member when reconnecting): leave for the boards list, saying so. The
  // offline copy goes with it: edits typed here were refused and must not linger or resurface.
  createEffect(() => {
    const closed = conn.terminal();
    if (closed?.code !== SYNC_CLOSE.removed && closed?.code !== SYNC_CLOSE.notFound) return;
    const notice = untrack(() => leaveNotice(title(), props.me.id, conn.removedBy(), conn.pending()));
    void conn.discardOfflineCopy().finally(() => navigate('/', { state: { notice } }));
  });
  // Back online (or online at last, for a board opened offline): ask the API again for the lists a
  // reconnect may have missed, and at once for any that failed while offline.
  let wasOnline = false;
  createEffect(() => {
    if (conn.status() !== 'online') return;
    untrack(() => {
      for (const load of [library, models, queue]) if (wasOnline || load.status() === 'failed') void load.reload();
    });
    wasOnline = true;
  });
  window.addEventListener('focus', refreshRole);
  const roleTimer = setInterval(refreshRole, 60_000);

  onCleanup(() => {
    window.removeEventListener('focus', refreshRole);
    clearInterval(roleTimer);
    library.dispose();
    models.dispose();
    queue.dispose();
    undo.dispose();
    presence.dispose();
    bridge.dispose();
    conn.dispose();
  });

  // An archived board is read-only for everyone until an owner restores it (the server refuses too).
  const canEdit = () => roleAtLeast(role(), 'editor') && !archived();
  const value: BoardContextValue = {
    boardId,
    title,
    role,
    roleChange,
    dismissRoleChange: () => setRoleChange(null),
    canEdit,
    canComment: () => roleAtLeast(role(), 'commenter') && !archived(),
    isOwner: () => role() === 'owner',
    archived,
    applySummary,
    me: props.me,
    conn,
    doc: conn.doc,
    state: bridge.state,
    chains: createChains(bridge.state),
    presence,
    library,
    models,
    queue,
    members: () => members() ?? [],
    refetchMembers: () => void refetch(),
    selected,
    select: setSelected,
    tab,
    setTab,
    jump,
    edit(fn, needs = 'editor') {
      if (!roleAtLeast(role(), needs)) return undefined;
      try {
        // One origin for every edit made here, so undo tracks it; each action is its own step.
        undo.stopCapturing();
        let result: ReturnType<typeof fn> | undefined;
        conn.doc.transact(() => {
          result = fn(conn.doc);
        }, BOARD_EDIT);
        undo.stopCapturing();
        return result;
      } catch (err) {
        if (err instanceof DocError) toast.show(docErrorText(err), 'error');
        else toast.show(errorText(err), 'error');
        return undefined;
      }
    },
    undo,
    history(dir) {
      if (!canEdit()) return;
      const skipped = dir === 'undo' ? undo.undo() : undo.redo();
      if (skipped) toast.show(skipped, 'info');
    },
    addShot(after) {
      // A new board has no default model; the first model this server can run beats none.
      const fallback = bridge.state.meta.defaultModel ? undefined : models.list()?.find((m) => m.available)?.id;
      return value.edit((doc) => addShot(doc, { ...(after ? { after } : {}), ...(fallback ? { model: fallback } : {}) }));
    },
  };
  return <BoardContext.Provider value={value}>{props.children}</BoardContext.Provider>;
}

/** What the boards list says after the board was left for good (see routes/boards.tsx). */
function leaveNotice(title: string, me: string, by: ChangedBy | null, unsent: number): string {
  const who = by === null ? `You no longer have access to “${title}”.` : by.id === me ? `You left “${title}”.` : `You were removed from “${title}” by ${by.name}.`;
  return unsent > 0 ? `${who} ${unsent} edit${unsent === 1 ? '' : 's'} made there while offline ${unsent === 1 ? 'was' : 'were'} not saved.` : who;
}

/** The open board. */
export function useBoard(): BoardContextValue {
  const b = useContext(BoardContext);
  if (!b) throw new Error('useBoard() needs a <BoardProvider>');
  return b;
}
