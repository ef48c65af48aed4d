import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/** Closed set of reasons a media operation fails; routes map them to HTTP answers. */
export type MediaErrorCode =
  | 'probe_failed' // ffprobe cannot read the file, or it holds no picture
  | 'corrupt' // readable headers but the data is truncated or broken
  | 'timeout' // the child ran past its time limit and was killed
  | 'ffmpeg_failed' // ffmpeg exited non-zero or produced nothing
  | 'refused' // a format we never open: scriptable (SVG, HTML, PDF…) or a list of other files (HLS, ffconcat…)
  | 'over_limit' // the probe passes a configured limit (size, length, frames), or the child ran out of its memory cap
  | 'spawn_failed' // the binary could not be started
  | 'invalid_argument'; // a caller passed a value no command should see

export interface MediaErrorDetails {
  /** The last lines ffmpeg/ffprobe wrote to stderr (at most ~4 KB). */
  stderrTail?: string;
  exitCode?: number | null;
  signal?: string | null;
  /** Process id of the child, so tests and logs can confirm it is gone. */
  pid?: number;
}

/** The one error type of the media layer; `code` says what went wrong, `details` says how. */
export class MediaError extends Error {
  override readonly name = 'MediaError';
  constructor(
    readonly code: MediaErrorCode,
    message: string,
    readonly details: MediaErrorDetails = {},
  ) {
    super(message);
  }
}

export interface RunOptions {
  timeoutMs: number;
  /**
   * Address-space cap of the child (RLIMIT_AS), set by `prlimit` from util-linux, which then execs
   * the binary (same pid, no shell). Past it allocations fail and ffmpeg exits with an error.
   */
  memoryBytes?: number;
  /** Stdout beyond this is an error (protects the JSON parse of ffprobe output). */
  maxStdoutBytes?: number;
}

export interface RunResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  pid?: number;
}

const STDERR_TAIL = 4096;

/**
 * Last non-empty stderr line, the one that usually names the cause, without the local file path
 * or the `[demuxer @ 0x…]` prefix, so it can be shown to a user.
 */
export function lastLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  return (lines[lines.length - 1] ?? '')
    .replace(/^\[[^\]]* @ 0x[0-9a-f]+\]\s*/i, '')
    .replace(/file:\/\S*?:\s/g, '')
    .trim();
}

/**
 * Spawns `bin` with an argument array (never a shell) and waits for it to exit. On timeout the
 * child gets SIGKILL and the promise rejects only after it has exited, so no child outlives it.
 * A non-zero exit is not an error here: callers decide what it means.
 */
export function runProcess(bin: string, args: readonly string[], opts: RunOptions): Promise<RunResult> {
  const maxStdout = opts.maxStdoutBytes ?? 8 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    let command: [string, readonly string[]] = [bin, args];
    if (opts.memoryBytes !== undefined) {
      const prlimit = findPrlimit();
      if (!prlimit) return reject(new MediaError('spawn_failed', 'prlimit (util-linux) is needed to cap ffmpeg memory: install it, or set MEDIA_MEMORY_LIMIT_MB=0'));
      command = [prlimit, [`--as=${Math.floor(opts.memoryBytes)}`, '--', bin, ...args]];
    }
    const child = spawn(command[0], command[1], { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    let settled = false;
    let killedFor: 'timeout' | 'stdout' | null = null;
    const out: Buffer[] = [];
    let outBytes = 0;
    let stderr = '';

    const kill = (why: 'timeout' | 'stdout') => {
      if (killedFor) return;
      killedFor = why;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => kill('timeout'), opts.timeoutMs);

    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > maxStdout) kill('stdout');
      else out.push(chunk);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      stderr = (stderr + text).slice(-STDERR_TAIL);
    });

    child.on('error', (err) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new MediaError('spawn_failed', `cannot run ${bin}: ${err.message}`, { pid: child.pid }));
    });
    child.on('close', (exitCode, signal) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const details = { stderrTail: stderr, exitCode, signal, pid: child.pid };
      if (killedFor === 'timeout') {
        reject(new MediaError('timeout', `${bin} took longer than ${opts.timeoutMs} ms and was killed`, details));
      } else if (killedFor === 'stdout') {
        reject(new MediaError('ffmpeg_failed', `${bin} wrote more than ${maxStdout} bytes to stdout`, details));
      } else if (command[0] !== bin && (exitCode === 126 || exitCode === 127) && /^prlimit: failed to execute/m.test(stderr)) {
        // prlimit started but could not exec the binary: the same failure as spawning it directly.
        reject(new MediaError('spawn_failed', `cannot run ${bin}: ${lastLine(stderr)}`, details));
      } else {
        resolve({ exitCode, signal, stdout: Buffer.concat(out).toString('utf8'), stderr, pid: child.pid });
      }
    });
  });
}

/**
 * What a child says when an allocation failed (its memory cap, or the host's). A thread whose
 * stack cannot be mapped fails with EAGAIN, hence "Resource temporarily unavailable".
 */
const OUT_OF_MEMORY = /cannot allocate memory|malloc of size \d+ failed|out of memory|std::bad_alloc|resource temporarily unavailable/i;

/** Whether a finished child failed for want of memory, by what it printed. */
export function ranOutOfMemory(res: RunResult): boolean {
  return res.exitCode !== 0 && OUT_OF_MEMORY.test(res.stderr);
}

let prlimitPath: string | null | undefined;
/** `prlimit` on PATH (or in the usual system folders), looked up once. */
function findPrlimit(): string | null {
  if (prlimitPath !== undefined) return prlimitPath;
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/bin', '/bin', '/usr/sbin', '/sbin'];
  prlimitPath = null;
  for (const dir of dirs.filter(Boolean)) {
    const candidate = path.join(dir, 'prlimit');
    try {
      accessSync(candidate, constants.X_OK);
      prlimitPath = candidate;
      break;
    } catch {
      // not here
    }
  }
  return prlimitPath;
}
