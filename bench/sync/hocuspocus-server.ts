import { Server } from '@hocuspocus/server';
import * as Y from 'yjs';

/**
 * `@hocuspocus/server` 3.x with its defaults (debounced onStoreDocument: 2 s, at most 10 s) and
 * an in-memory store shaped like its Database extension: the whole state is encoded on store
 * and applied on load.
 */
export async function startHocuspocus(host = '127.0.0.1') {
  const stored = new Map<string, Uint8Array>();
  const server = new Server({
    port: 0,
    address: host,
    quiet: true,
    stopOnSignals: false,
    async onLoadDocument({ documentName, document }) {
      const state = stored.get(documentName);
      if (state) Y.applyUpdate(document, state);
    },
    async onStoreDocument({ documentName, document }) {
      stored.set(documentName, Y.encodeStateAsUpdate(document));
    },
  });
  await server.listen();
  return {
    url: `ws://${host}:${server.address.port}`,
    /** Bytes held by the in-memory store (for the record; not part of the timing). */
    storedBytes: () => [...stored.values()].reduce((n, s) => n + s.byteLength, 0),
    close: () => server.destroy(),
  };
}
