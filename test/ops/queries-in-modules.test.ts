/**
 * Where SQL lives: every statement the server runs is built in the `*.queries.ts` module of its
 * capability (or in server/db, which opens, migrates and pings the database), so a newcomer finds
 * every query of a table by opening one file, and a route or a worker only names what it asks.
 * And board access is judged in one place: routes ask `boardRole` (server/boards/access.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const SERVER = path.join(ROOT, 'server');

/** What building or running SQL looks like, each with the name a failure reports. */
const SQL_SIGNS: readonly [string, RegExp][] = [
  ['Kysely query builder', /\.(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto|selectNoFrom)\(/],
  ['sql template', /\bsql(<[^>]*>)?`|\bsql\.(raw|ref|table|id|lit|join)\(/],
  ['transaction', /\.transaction\(\)/],
  ['raw execute', /\.(execute|executeQuery|executeMultiple|batch)\(\s*[^)\s]/],
  ['SQL text', /['"`]\s*(SELECT|INSERT INTO|DELETE FROM|UPDATE\s+\w+\s+SET|REPLACE INTO|PRAGMA|CREATE (TABLE|INDEX))\b/],
];

/** Source without comments, so prose about a query ("the selectFrom above") is not a query. */
function code(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .split('\n')
    .map((line) => line.replace(/^\s*\/\/.*$/, '').replace(/\s\/\/\s.*$/, ''))
    .join('\n');
}

/** The signs of SQL in a file's source: `name: line`, one per line that shows one. */
export function sqlSigns(source: string): string[] {
  const found: string[] = [];
  code(source)
    .split('\n')
    .forEach((line, i) => {
      for (const [name, re] of SQL_SIGNS) if (re.test(line)) found.push(`${name}: line ${i + 1}`);
    });
  return found;
}

function serverFiles(dir = SERVER): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return serverFiles(full);
    return /\.(ts|mts|mjs|js)$/.test(e.name) ? [path.relative(ROOT, full).split(path.sep).join('/')] : [];
  });
}

const mayBuildSql = (file: string) => file.endsWith('.queries.ts') || file.startsWith('server/db/');

describe('SQL lives in the *.queries.ts modules and server/db', () => {
  it('recognises each way of building or running SQL, and not words about it in comments', () => {
    expect(sqlSigns("const r = await db.selectFrom('jobs').selectAll().execute();")).toEqual(['Kysely query builder: line 1']);
    expect(sqlSigns("await db\n  .deleteFrom('boards')\n  .execute();")).toEqual(['Kysely query builder: line 2']);
    expect(sqlSigns('await sql`select 1`.execute(db);')).toEqual(['sql template: line 1', 'raw execute: line 1']);
    expect(sqlSigns('const fresh = sql<boolean>`${now} - start`;')).toEqual(['sql template: line 1']);
    expect(sqlSigns('await db.transaction().execute(async (tx) => work(tx));')).toEqual(['transaction: line 1', 'raw execute: line 1']);
    expect(sqlSigns('for (const s of stmts) await tx.execute(s);')).toEqual(['raw execute: line 1']);
    expect(sqlSigns("const results = await client.batch(stmts, 'write');")).toEqual(['raw execute: line 1']);
    expect(sqlSigns("const DROP = 'DELETE FROM doc_updates WHERE board_id = ?';")).toEqual(['SQL text: line 1']);
    // Not SQL: a query run through its module, a builder ending in execute(), prose, messages.
    expect(sqlSigns("const rows = await invitesOf(db, boardId); await q.orderBy('seq').execute();")).toEqual([]);
    expect(sqlSigns("/** selectFrom('jobs') and DELETE FROM in prose */\n// db.transaction() here\nconst x = 1; // sql`x`")).toEqual([]);
    expect(sqlSigns("throw new AppError('conflict', 'Select from the list');")).toEqual([]);
  });

  it('no server module outside them builds or runs SQL', () => {
    const offenders = serverFiles()
      .filter((f) => !mayBuildSql(f))
      .flatMap((f) => sqlSigns(fs.readFileSync(path.join(ROOT, f), 'utf8')).map((sign) => `${f}: ${sign}`));
    expect(offenders, 'move these statements into the capability’s *.queries.ts, named for what each answers').toEqual([]);
  });
});

describe('board access is judged in one place', () => {
  it('no HTTP route judges a role itself: routes name the least role with boardRole (server/boards/access.ts)', () => {
    // The sync socket admits with close codes, not HTTP answers: its own check lives in server/sync.
    const routes = serverFiles().filter((f) => f.endsWith('.routes.ts') && !f.startsWith('server/sync/'));
    const judging = routes.filter((f) => /\b(roleAtLeast|getAccess|requireBoardRole)\(/.test(code(fs.readFileSync(path.join(ROOT, f), 'utf8'))));
    expect(judging).toEqual([]);
    const asking = routes.filter((f) => /\bboardRoles\(/.test(fs.readFileSync(path.join(ROOT, f), 'utf8')));
    expect(asking.sort()).toEqual(
      [
        'server/assets/assets.routes.ts',
        'server/boards/boards.routes.ts',
        'server/boards/invites.routes.ts',
        'server/export/export.routes.ts',
        'server/export/import/import.routes.ts',
        'server/generation/generation.routes.ts',
        'server/generation/keep-anyway.routes.ts',
        'server/generation/note-takes.routes.ts',
        'server/history/history.routes.ts',
        'server/outgoing-webhooks/webhooks.routes.ts',
        'server/review-links/review-links.routes.ts',
        'server/seams/seams.routes.ts',
      ].sort(),
    );
  });
});
