/**
 * `npm run db:copy -- <from DATABASE_URL> <to DATABASE_URL>`: copies a Takeboard database between
 * libSQL and PostgreSQL (either way; see server/db/copy.ts) and prints each table's row count on
 * both sides. Stop the servers on the source first. URLs are shown without their passwords.
 */
import { copyDatabase } from '../server/db/copy.js';
import { openDatabase } from '../server/db/open.js';
import { replayUpdateJournal } from '../server/sync/journaled-storage.js';
import { displayUrl, secretScrubber, urlSecrets } from '../server/lib/secrets.js';

async function main(argv: string[]) {
  const [fromUrl, toUrl] = argv;
  if (!fromUrl || !toUrl || argv.length !== 2) {
    throw new Error('usage: npm run db:copy -- <from DATABASE_URL> <to DATABASE_URL> (file:, libsql://, postgres://)');
  }
  // Board updates a lone instance left in its journal (server/sync/journaled-storage.ts) go into
  // the source first; refused while that instance still runs.
  if (fromUrl.startsWith('file:')) replayUpdateJournal(fromUrl);
  const from = await openDatabase(fromUrl, process.env.DATABASE_AUTH_TOKEN);
  const to = await openDatabase(toUrl);
  try {
    process.stdout.write(`Copying ${displayUrl(fromUrl)} to ${displayUrl(toUrl)}\n`);
    for (const c of await copyDatabase(from.db, to.db)) process.stdout.write(`${c.table.padEnd(18)} ${String(c.source).padStart(9)} -> ${c.target}\n`);
    process.stdout.write('Copied: every table holds as many rows as the source.\n');
  } finally {
    await from.close();
    await to.close();
  }
}

const args = process.argv.slice(2);
const scrub = secretScrubber(args.flatMap(urlSecrets));
main(args).catch((err) => {
  process.stderr.write(scrub(`Copy failed: ${err instanceof Error ? err.message : String(err)}\n`));
  process.exit(1);
});
