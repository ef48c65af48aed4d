/**
 * Everything a board screen needs, built once per open board and torn down when it closes:
 * the live connection, the document bridge, presence, server features, members, selection.
 */
import { createContext, createEffect, createResource, createSignal, onCleanup, untrack, useContext, type Accessor, type JSX } from 'solid-js';
import type * as Y from 'yjs';
import type { BoardSummary, Member, Role, User } from '../../../shared/api';
import { READ_ONLY_NOTICE } from '../../../shared/sync';
import { addShot, DocError } from '../../../shared/doc';
import { useApi } from '../api/context';
import { useToast, errorText } from '../ui/toast';
import { createBoardConnection, type BoardConnection } from './connection';
import { createChains, type Chains } from './chain';
import { docErrorText } from './doc-error-text';
import { createDocBridge, type BoardState } from './doc-bridge';
import { createFeatures, type Features } from './features';
import { BOARD_EDIT } from './local-edit';
import { createJump, type Jump } from './jump';
import { createPresence, type Presence } from './presence';
import { createUndo, type Undo } from './undo';

export type BoardTab = 'shots' | 'references' | 'matrix' | 'sequence';

export interface BoardContextValue {
  boardId: string;
  title: Accessor<string>;
  role: Accessor<Role>;
  canEdit: Accessor<boolean>;
  isOwner: Accessor<boolean>;
  me: User;
  conn: BoardConnection;
  doc: Y.Doc;
  state: BoardState;
  /** Every shot's chain state (fresh, stale, kept anyway…), computed from `state`. */
  chains: Chains;
  presence: Presence;
  features: Features;
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
   * Runs a document write (through shared/doc accessors). Viewers cannot write; a refused value
   * (DocError) becomes a message instead of an exception. Returns fn's result or undefined.
   */
  edit<T>(fn: (doc: Y.Doc) => T): T | undefined;
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
  const boardId = props.board.id;
  const [role, setRole] = createSignal<Role>(props.board.role);
  const [title, setTitle] = createSignal(props.board.title);
  const conn = createBoardConnection({ boardId, userId: props.me.id, origin: location.origin });
  const bridge = createDocBridge(conn.doc);
  const undo = createUndo(conn.doc, props.me.id);
  const presence = createPresence(conn.awareness);
  const features = createFeatures(api, boardId);
  const [members, { refetch }] = createResource(() => api.members(boardId), { initialValue: [] });
  const [selected, setSelected] = createSignal<string | null>(null);
  const [tab, setTab] = createSignal<BoardTab>('shots');
  const jump = createJump();
  // Teammates see which shot I have open, labelled with my name and city.
  createEffect(() => presence.setSelection(selected()));

  // Roles change while a board is open: ask again when the server refuses a write (we were made
  // a viewer), when the window regains focus, and now and then.
  const refreshRole = () =>
    api.board(boardId).then((b) => {
      setRole(b.role);
      setTitle(b.title);
    }, () => undefined);
  createEffect(() => {
    if (conn.notice()?.startsWith(READ_ONLY_NOTICE)) void refreshRole();
  });
  // Back online (or online at last, for a board opened offline): ask the API again what it could
  // not answer meanwhile.
  let wasOnline = false;
  createEffect(() => {
    if (conn.status() !== 'online') return;
    const unknown = untrack(() => features.assetsAvailable() === 'unknown' || features.generationAvailable() === 'unknown');
    if (wasOnline || unknown) features.reconnected();
    wasOnline = true;
  });
  window.addEventListener('focus', refreshRole);
  const roleTimer = setInterval(refreshRole, 60_000);

  onCleanup(() => {
    window.removeEventListener('focus', refreshRole);
    clearInterval(roleTimer);
    features.dispose();
    undo.dispose();
    presence.dispose();
    bridge.dispose();
    conn.dispose();
  });

  const canEdit = () => role() !== 'viewer';
  const value: BoardContextValue = {
    boardId,
    title,
    role,
    canEdit,
    isOwner: () => role() === 'owner',
    me: props.me,
    conn,
    doc: conn.doc,
    state: bridge.state,
    chains: createChains(bridge.state),
    presence,
    features,
    members: () => members() ?? [],
    refetchMembers: () => void refetch(),
    selected,
    select: setSelected,
    tab,
    setTab,
    jump,
    edit(fn) {
      if (!canEdit()) return undefined;
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
      const fallback = bridge.state.meta.defaultModel ? undefined : features.models()?.find((m) => m.available !== false)?.id;
      return value.edit((doc) => addShot(doc, { ...(after ? { after } : {}), ...(fallback ? { model: fallback } : {}) }));
    },
  };
  return <BoardContext.Provider value={value}>{props.children}</BoardContext.Provider>;
}

/** The open board. */
export function useBoard(): BoardContextValue {
  const b = useContext(BoardContext);
  if (!b) throw new Error('useBoard() needs a <BoardProvider>');
  return b;
}
