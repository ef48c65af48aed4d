import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe } from 'vitest';
import { migrateToLatest } from '../../server/db/migrate.js';
import { openDatabase, type Db } from '../../server/db/open.js';
import { systemClock } from '../../server/lib/clock.js';
import { createLibsqlStorage } from '../../server/sync/libsql-storage.js';
import { createMemoryStorage } from '../../server/sync/memory-storage.js';
import type { DocStorage } from '../../server/sync/storage.js';
import { storageContract } from './storage.contract.js';

const dbs: Db[] = [];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'takeboard-storage-'));
afterAll(async () => {
  for (const d of dbs) await d.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const implementations: [string, () => Promise<DocStorage>][] = [
  ['memory', async () => createMemoryStorage()],
  [
    'libsql',
    async () => {
      const d = await openDatabase(`file:${path.join(dir, `s${dbs.length}.db`)}`);
      dbs.push(d);
      await migrateToLatest(d.db);
      return createLibsqlStorage(d.db, systemClock);
    },
  ],
];

describe.each(implementations)('%s storage', (_name, make) => storageContract(make));
