// Entry of the board-document writer thread when the server runs its TypeScript sources through
// tsx (dev, tests): a worker thread on Node 20 does not inherit that loader (not even with
// `--import tsx` in execArgv), so the thread registers tsx itself before loading the TypeScript
// entry. The compiled server (dist/) starts doc-writer.worker.js directly.
import { register } from 'tsx/esm/api';

register();
await import('./doc-writer.worker.ts');
