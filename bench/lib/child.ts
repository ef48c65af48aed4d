import { fork, type ChildProcess } from 'node:child_process';

/**
 * A module run in its own Node process (so a server under test has a core and an event loop
 * to itself), spoken to by request/response over the IPC channel. The child inherits the
 * parent's tsx loader flags; `extraExecArgv` adds e.g. `--cpu-prof`.
 */
export interface Child {
  proc: ChildProcess;
  /** Sends `{ type, ...body }` and resolves with the child's reply of the same `type`. */
  request<T>(type: string, body?: object, timeoutMs?: number): Promise<T>;
  /** Resolves with the next message of this `type` the child sends on its own (e.g. "ready"). */
  next<T>(type: string, timeoutMs?: number): Promise<T>;
  /** Asks the child to stop and waits for it to exit (killing it if it does not). */
  stop(timeoutMs?: number): Promise<void>;
}

export function startChild(modulePath: string, args: string[], extraExecArgv: string[] = []): Child {
  const proc = fork(modulePath, args, {
    execArgv: [...process.execArgv, ...extraExecArgv],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<string, Array<(msg: any) => void>>();
  proc.on('message', (msg: any) => {
    const queue = waiting.get(msg?.type);
    queue?.shift()?.(msg);
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));

  const next = <T,>(type: string, timeoutMs = 60_000) =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`child ${modulePath}: no "${type}" message in ${timeoutMs} ms`)), timeoutMs);
      const onExit = () => reject(new Error(`child ${modulePath} exited before replying to "${type}"`));
      proc.once('exit', onExit);
      const queue = waiting.get(type) ?? [];
      waiting.set(type, queue);
      queue.push((msg) => {
        clearTimeout(timer);
        proc.off('exit', onExit);
        if (msg.error) reject(new Error(`child ${modulePath}: ${msg.error}`));
        else resolve(msg as T);
      });
    });
  const request = <T,>(type: string, body: object = {}, timeoutMs = 60_000) => {
    const reply = next<T>(type, timeoutMs);
    proc.send({ type, ...body });
    return reply;
  };

  return {
    proc,
    request,
    next,
    async stop(timeoutMs = 10_000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      if (proc.connected) proc.send({ type: 'stop' });
      const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The child side: answers requests with `handlers[type]`, exits on "stop" or when the parent goes. */
export function serveParent(handlers: Record<string, (msg: any) => unknown | Promise<unknown>>, onStop: () => Promise<void>) {
  const send = (msg: object) => process.send?.(msg);
  process.on('message', async (msg: any) => {
    if (msg?.type === 'stop') {
      await onStop().catch((err) => console.error('stop failed', err));
      process.exit(0);
    }
    const handler = handlers[msg?.type];
    if (!handler) return send({ type: msg?.type, error: `no handler for "${msg?.type}"` });
    try {
      send({ type: msg.type, ...((await handler(msg)) as object) });
    } catch (err) {
      send({ type: msg.type, error: err instanceof Error ? err.stack ?? err.message : String(err) });
    }
  });
  process.on('disconnect', () => process.exit(0));
}
