/**
 * Names of this browser's offline board copies (y-indexeddb databases). Kept free of y-indexeddb
 * itself so the session code can forget copies without loading the board bundle.
 */
const PREFIX = 'takeboard';

/** The IndexedDB database holding one user's copy of one board. */
export function offlineDbName(userId: string, boardId: string): string {
  return `${PREFIX}:${userId}:${boardId}`;
}

/** Deletes every offline board copy of `userId` in this browser. */
export async function forgetOfflineBoards(userId: string): Promise<void> {
  if (typeof indexedDB === 'undefined' || typeof indexedDB.databases !== 'function') return;
  const dbs = await indexedDB.databases();
  const mine = dbs.map((d) => d.name).filter((n): n is string => !!n && n.startsWith(`${PREFIX}:${userId}:`));
  await Promise.all(mine.map((name) => deleteDb(name)));
}

/** Deletes one board copy (used when the server refused an edit it holds). */
export function deleteDb(name: string): Promise<void> {
  return new Promise((resolve) => {
    const req = indexedDB.deleteDatabase(name);
    req.onsuccess = req.onerror = req.onblocked = () => resolve();
  });
}
