import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ChildServer {
  url: string;
  child: ChildProcess;
  /** Everything the server wrote to stderr so far (its JSON log lines). */
  readonly stderr: string;
  /** Everything it wrote to stdout and stderr so far, in order, from the first line. */
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface ChildServerOptions {
  /** Go to node before the entry (e.g. `--expose-gc`). */
  nodeArgs?: string[];
  /** LOG_LEVEL unless `env` sets it: warn by default, info to check what the server logs. */
  logLevel?: string;
  startTimeoutMs?: number;
}

/**
 * Runs `server/main.ts` in its own process, so a test can SIGKILL it. Resolves once the server
 * prints the URL it listens on; rejects with its output if it exits or is slow to start.
 */
export function startChildServer(env: Record<string, string>, opts: ChildServerOptions = {}): Promise<ChildServer> {
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', path.join(root, 'server/main.ts')], {
    cwd: root,
    env: { ...process.env, PORT: '0', LOG_LEVEL: opts.logLevel ?? 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let output = '';
  child.stderr!.on('data', (d) => {
    stderr += d;
    output += d;
  });
  child.stdout!.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${output}`)), opts.startTimeoutMs ?? 20_000);
    const onData = (d: Buffer) => {
      out += d;
      const m = /running at (http:\/\/\S+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      resolve({
        url: m[1]!,
        child,
        get stderr() {
          return stderr;
        },
        output: () => output,
        async kill(signal = 'SIGKILL') {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          await exited;
        },
      });
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${output}`));
    });
  });
}
