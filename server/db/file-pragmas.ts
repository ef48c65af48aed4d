/**
 * Settings every connection to a file database runs when it opens (pragmas are per
 * connection): the app's shared client and the board-document writer thread alike. WAL lets
 * readers proceed while another connection writes; FULL makes a commit survive power loss
 * (the board-document writer may relax that, as SYNC_FSYNC says: loop-writer.ts); the busy
 * timeout makes a writer wait for the other connection's transaction instead of failing.
 */
export const FILE_DB_PRAGMAS = ['PRAGMA journal_mode = WAL', 'PRAGMA synchronous = FULL', 'PRAGMA busy_timeout = 5000'] as const;
