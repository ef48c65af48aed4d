// Entry of the board-document writer thread. The server runs TypeScript through tsx, and a
// worker thread on Node 20 does not inherit its loader (not even with `--import tsx` in
// execArgv), so the thread registers tsx itself before loading the TypeScript entry.
import { register } from 'tsx/esm/api';

register();
await import('./doc-writer.worker.ts');
