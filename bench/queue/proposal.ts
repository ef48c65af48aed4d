import { performance } from 'node:perf_hooks';
import type { Client } from '@libsql/client';
import { summarize, type Summary } from '../lib/stats.js';

/**
 * A change to claimNext that this suite measures without touching server/: what would make
 * enqueue-to-dispatch flat as the queue grows.
 *
 * The index: one entry per queued job in (member, provider) order, oldest first, carrying the
 * columns the head search filters on, so every step below is a seek in it.
 */
export const HEADS_INDEX = 'CREATE INDEX IF NOT EXISTS jobs_queue_heads ON jobs (status, created_by, provider, created_at, next_attempt_at, board_id)';

/** SQL list of quoted literals for `not in (...)` (an empty list matches nothing). */
const list = (xs: string[]) => (xs.length ? xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(', ') : "''");

/**
 * The queue heads without reading the whole queue: a loose index scan walks the distinct
 * (member, provider) pairs with queued jobs (one seek per pair: the next provider of this member,
 * else the first pair of the next member), skips providers that are at their limit, and seeks
 * each remaining pair's oldest ready job on a board with room. Cost: pairs x log(queue), not
 * queue. The caller orders the heads by the member's running count, then head_at, as now, and
 * claims `id` directly (no second lookup per head).
 */
export function headsSql(fullProviders: string[], fullBoards: string[]): string {
  return `with recursive g(rid) as (
  select (select rowid from jobs where status = 'queued' order by created_by, provider limit 1)
  union all
  select coalesce(
    (select j.rowid from jobs j where j.status = 'queued' and j.created_by = c.created_by and j.provider > c.provider order by j.provider limit 1),
    (select j.rowid from jobs j where j.status = 'queued' and j.created_by > c.created_by order by j.created_by, j.provider limit 1))
  from g join jobs c on c.rowid = g.rid
), pairs as (select c.created_by, c.provider from g join jobs c on c.rowid = g.rid)
select p.created_by, p.provider, h.id, h.board_id, h.created_at as head_at
from pairs p join jobs h on h.rowid = (
  select j.rowid from jobs j
  where j.status = 'queued' and j.created_by = p.created_by and j.provider = p.provider and j.next_attempt_at <= ?
    and j.board_id not in (${list(fullBoards)})
  order by j.created_at limit 1)
where p.provider not in (${list(fullProviders)})`;
}

/** The heads statement claimNext runs today, verbatim in effect. */
export const CURRENT_HEADS_SQL = `select created_by, provider, board_id, min(created_at) as head_at from jobs
where status = 'queued' and next_attempt_at <= ? group by created_by, provider, board_id`;

/** Times `sql` `times` times (after 5 unmeasured runs); returns the timings and the last rows. */
export async function timeStatement(client: Client, sql: string, times: number) {
  const ms: number[] = [];
  let rows: Array<Record<string, unknown>> = [];
  for (let i = 0; i < times + 5; i++) {
    const t = performance.now();
    const res = await client.execute({ sql, args: [Date.now()] });
    if (i >= 5) ms.push(performance.now() - t);
    rows = res.rows as unknown as Array<Record<string, unknown>>;
  }
  return { ms: summarize(ms) as Summary, rows };
}

export async function planOf(client: Client, sql: string): Promise<string[]> {
  const res = await client.execute({ sql: `EXPLAIN QUERY PLAN ${sql}`, args: [Date.now()] });
  return res.rows.map((r) => String(r.detail));
}

/**
 * Checks the proposal picks what claimNext's rule picks: for each member, the oldest ready job
 * among the groups that fit, compared with the current GROUP BY heads.
 */
export function sameChoice(current: Array<Record<string, unknown>>, proposed: Array<Record<string, unknown>>, fullProviders: string[], fullBoards: string[]): boolean {
  const best = (rows: Array<Record<string, unknown>>) => {
    const m = new Map<string, number>();
    for (const r of rows) {
      if (fullProviders.includes(String(r.provider)) || fullBoards.includes(String(r.board_id))) continue;
      const u = String(r.created_by);
      m.set(u, Math.min(m.get(u) ?? Infinity, Number(r.head_at)));
    }
    return m;
  };
  const a = best(current);
  const b = best(proposed);
  return a.size === b.size && [...a].every(([u, at]) => b.get(u) === at);
}

export interface ProposalResult {
  /** The GROUP BY heads statement as claimNext runs it today (existing indexes). */
  currentMs: Summary;
  /** The proposed heads statement with HEADS_INDEX, nothing at its limit / the animatic provider at its limit. */
  proposedMs: Summary;
  proposedSaturatedMs: Summary;
  /** Whether the proposal picked the same oldest fitting job for every member, in both cases. */
  sameChoice: boolean;
  plan: string[];
}

/** Measures today's heads statement, adds HEADS_INDEX to this (temporary) database, measures the proposal. */
export async function measureProposal(client: Client, times: number): Promise<ProposalResult> {
  const current = await timeStatement(client, CURRENT_HEADS_SQL, times);
  await client.execute(HEADS_INDEX);
  const after = await timeStatement(client, CURRENT_HEADS_SQL, 3);
  const free = await timeStatement(client, headsSql([], []), times);
  const saturated = await timeStatement(client, headsSql(['animatic'], []), times);
  return {
    currentMs: current.ms,
    proposedMs: free.ms,
    proposedSaturatedMs: saturated.ms,
    sameChoice: sameChoice(after.rows, free.rows, [], []) && sameChoice(after.rows, saturated.rows, ['animatic'], []),
    plan: await planOf(client, headsSql(['animatic'], [])),
  };
}
