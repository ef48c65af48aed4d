import Database from 'libsql';

/** Locks this process holds, by lock file: one per database file, until its storage closes or the process ends. */
const held = new Map<string, Database.Database>();

/**
 * Makes this process the only one journaling board updates for the database file `dbFile`, or
 * throws. A second process replaying or appending to a live instance's journal would fold its
 * records behind its back (every later fold of theirs then fails on a taken seq) and empty the
 * file they are writing. The lock is SQLite's own on a small file beside the database
 * (`<db>-updates.lock`), an exclusive fcntl lock the kernel drops when the process dies, kill -9
 * included, so a crashed instance never blocks its restart.
 */
export function holdJournal(dbFile: string): void {
  const path = `${dbFile}-updates.lock`;
  if (held.has(path)) return;
  const db = new Database(path);
  try {
    db.exec('PRAGMA busy_timeout = 0');
    db.exec('PRAGMA locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
  } catch (err) {
    db.close();
    const code = (err as { code?: unknown }).code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
      throw new Error(`another Takeboard process is using the database ${dbFile} (its board update journal is locked); stop it first`);
    }
    throw err;
  }
  held.set(path, db);
}

/** Lets another process take the journal of `dbFile` (this process's storage on it closed). */
export function releaseJournal(dbFile: string): void {
  const path = `${dbFile}-updates.lock`;
  held.get(path)?.close();
  held.delete(path);
}
