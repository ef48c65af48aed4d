import { createSignal, lazy, Match, Show, Suspense, Switch } from 'solid-js';
import { useApi } from '../api/context';
import { TopBar } from '../ui/top-bar';
import { useToast } from '../ui/toast';
import { setBoardArchived } from './admin/archive';
import { useBoard, type BoardTab } from './board-context';
import { BoardTitle } from './board-title';
import { HistoryButtons } from './history-buttons';
import { ConnectionBadge, RefusedBanner, TerminalBanner } from './connection-badge';
import { RoleBanner } from './members/role-banner';
import { ShotDetail } from './detail/shot-detail';
import { HelpPopover } from './help';
import { onJump } from './jump';
import { PresenceBar } from './presence-bar';
import { useBoardShortcuts } from './shortcuts';
import { ShotList } from './shots/shot-list';
import { SprintBar } from './sprint-bar';

const ReferenceLibrary = lazy(() => import('./library/reference-library'));
const AssignmentMatrix = lazy(() => import('./library/assignment-matrix'));
const SequenceView = lazy(() => import('./takes/sequence-view'));
const MembersPanel = lazy(() => import('./members/members-panel'));
const CostView = lazy(() => import('./costs/cost-view'));
const BoardAdminPanel = lazy(() => import('./admin/board-admin-panel'));

const TABS: ReadonlyArray<[BoardTab, string]> = [
  ['shots', 'Shots'],
  ['references', 'References'],
  ['matrix', 'Assignments'],
  ['sequence', 'Sequence'],
  ['costs', 'Costs'],
];

/**
 * The board: header with presence and connection, sprint bar, tabs, and the open tab. Up to 900 px
 * wide (phones, tablets) the same parts stack in one column: tabs at the bottom, shot detail as a
 * sheet over the list (styles.css, "phone and tablet").
 */
export function BoardScreen() {
  const b = useBoard();
  const [help, setHelp] = createSignal(false);
  const [members, setMembers] = createSignal(false);
  const [admin, setAdmin] = createSignal(false);
  const api = useApi();
  const toast = useToast();
  onJump(
    b.jump,
    (j) => b.conn.loaded() && b.state.shots.some((s) => s.id === j.shotId),
    (j) => {
      b.setTab('shots');
      b.select(j.shotId);
    },
  );
  useBoardShortcuts(
    b,
    () => setHelp(!help()),
    () => {
      const was = help() || members() || admin();
      setHelp(false);
      setMembers(false);
      setAdmin(false);
      return was;
    },
  );

  return (
    <div class="board">
      {/* On a phone or tablet the `top-bar-fold` groups fold into the top bar's menu (styles.css, "phone and tablet"). */}
      <TopBar fold>
        <BoardTitle />
        <div class="top-bar-fold">
          <HistoryButtons />
          <span class={`role role-${b.role()}`}>{b.role()}</span>
        </div>
        <PresenceBar />
        <ConnectionBadge />
        <div class="top-bar-fold">
          <button type="button" class="ghost" aria-expanded={members()} onClick={() => setMembers(!members())}>
            Members
          </button>
          <button type="button" class="ghost" title="Rename, duplicate as template, archive or delete" aria-expanded={admin()} onClick={() => setAdmin(!admin())}>
            Board
          </button>
          <button type="button" class="ghost" aria-label="Keyboard shortcuts" aria-expanded={help()} onClick={() => setHelp(!help())}>
            ?
          </button>
        </div>
      </TopBar>
      <SprintBar />
      <TerminalBanner />
      <RefusedBanner />
      <RoleBanner />
      <Show when={b.archived()}>
        <div class="banner" role="note" data-archived-banner>
          This board is archived: it is read-only for everyone.{' '}
          <Show when={b.isOwner()}>
            <button type="button" class="link" onClick={() => void setBoardArchived(api, b, toast, false)}>
              Restore it
            </button>
          </Show>
        </div>
      </Show>
      <nav class="tabs" role="tablist" aria-label="Board views">
        {TABS.map(([id, label]) => (
          <button type="button" role="tab" id={`tab-${id}`} aria-controls="board-panel" aria-selected={b.tab() === id} onClick={() => b.setTab(id)}>
            {label}
          </button>
        ))}
      </nav>
      <main class="board-main" id="board-panel" role="tabpanel" aria-labelledby={`tab-${b.tab()}`}>
      <Show when={b.conn.loaded()} fallback={<p class="loading" role="status">Loading the board…</p>}>
        <Suspense fallback={<p class="loading" role="status">Loading…</p>}>
          <Switch>
            <Match when={b.tab() === 'shots'}>
              <div class="shots-layout">
                <ShotList />
                <ShotDetail />
              </div>
            </Match>
            <Match when={b.tab() === 'references'}>
              <ReferenceLibrary />
            </Match>
            <Match when={b.tab() === 'matrix'}>
              <AssignmentMatrix />
            </Match>
            <Match when={b.tab() === 'sequence'}>
              <SequenceView />
            </Match>
            <Match when={b.tab() === 'costs'}>
              <CostView />
            </Match>
          </Switch>
        </Suspense>
      </Show>
      </main>
      <Show when={help()}>
        <HelpPopover onClose={() => setHelp(false)} />
      </Show>
      <Show when={members()}>
        <Suspense>
          <MembersPanel onClose={() => setMembers(false)} />
        </Suspense>
      </Show>
      <Show when={admin()}>
        <Suspense>
          <BoardAdminPanel onClose={() => setAdmin(false)} />
        </Suspense>
      </Show>
    </div>
  );
}
