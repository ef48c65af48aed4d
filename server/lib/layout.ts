import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The server runs either from its TypeScript sources (through tsx: `npm run dev`, the tests) or
 * compiled into dist/ by `npm run build` (`npm start`, the image). The few places that name
 * files at run time ask here which layout they are in.
 */
export function runsFromSource(moduleUrl: string): boolean {
  return moduleUrl.endsWith('.ts');
}

/**
 * The built web client (`npm run build` writes it to dist/client): beside the compiled server
 * (dist/server/main.js), or under the repository when the server runs from server/main.ts.
 */
export function builtClientDir(mainUrl: string): string {
  const above = path.resolve(path.dirname(fileURLToPath(mainUrl)), '..');
  return runsFromSource(mainUrl) ? path.join(above, 'dist', 'client') : path.join(above, 'client');
}
