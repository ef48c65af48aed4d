import { performance } from 'node:perf_hooks';
import type { Client } from '@libsql/client';
import type { Kysely } from 'kysely';
import type { Database } from '../../server/db/schema.js';
import { queueHeadsQuery } from '../../server/generation/jobs.queries.js';
import { summarize, type Summary } from '../lib/stats.js';

/**
 * The queue heads statement alone (the one claimNext runs, imported from jobs.queries.ts, never
 * a copy): timed with nothing at its limit and with the animatic provider at its limit, and its
 * plan, to show the search follows the number of (member, provider) pairs, not the queue.
 */
export interface HeadsResult {
  freeMs: Summary;
  saturatedMs: Summary;
  plan: string[];
}

export async function measureHeads(db: Kysely<Database>, client: Client, times: number): Promise<HeadsResult> {
  const time = async (fullProviders: string[]) => {
    const ms: number[] = [];
    for (let i = 0; i < times + 5; i++) {
      const t = performance.now();
      await queueHeadsQuery(Date.now(), fullProviders, []).execute(db);
      if (i >= 5) ms.push(performance.now() - t);
    }
    return summarize(ms);
  };
  const { sql, parameters } = queueHeadsQuery(Date.now(), ['animatic'], []).compile(db);
  const plan = (await client.execute({ sql: `EXPLAIN QUERY PLAN ${sql}`, args: parameters as never })).rows.map((r) => String(r.detail));
  return { freeMs: await time([]), saturatedMs: await time(['animatic']), plan };
}
