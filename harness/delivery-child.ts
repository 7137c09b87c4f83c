import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const CHILD = fileURLToPath(new URL('./worker-child.ts', import.meta.url));

/** A regwire worker running in its own process (see `worker-child.ts`). */
export interface WorkerChild {
  readonly process: ChildProcess;
  readonly pid: number;
  /** Resolves once its workers are running; rejects if it exits first or takes longer than 20 s. */
  readonly ready: Promise<void>;
  /** Everything it wrote to stderr (its log lines). */
  stderr(): string;
  /** SIGKILL, and wait for the exit. */
  kill(): Promise<void>;
  /** SIGTERM (graceful close), and wait for the exit; SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts `node --import tsx test/support/worker-child.ts` with exactly `env` (plus PATH), or, given
 * `compiledRoot` (a `tsc` output folder of this repository), plain `node <compiledRoot>/harness/worker-child.js`.
 */
export function spawnWorkerChild(
  env: Record<string, string>,
  options: { compiledRoot?: string } = {},
): WorkerChild {
  const args = options.compiledRoot
    ? [path.join(options.compiledRoot, 'harness', 'worker-child.js')]
    : ['--import', 'tsx', CHILD];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8');
  });
  const exited = once(child, 'exit');
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`worker child not ready after 20 s: ${err.slice(-2000)}`)),
      20_000,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString('utf8').includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`worker child exited (${code ?? signal}) before it was ready: ${err.slice(-2000)}`));
    });
  });
  ready.catch(() => undefined);
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    process: child,
    pid: child.pid ?? -1,
    ready,
    stderr: () => err,
    async kill() {
      if (alive()) child.kill('SIGKILL');
      await exited;
    },
    async stop(graceMs = 5_000) {
      if (!alive()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resident set size of a process, in bytes (Linux `/proc/<pid>/status`). */
export async function rssBytes(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  if (kb === undefined) throw new Error(`no VmRSS for ${pid}`);
  return Number(kb) * 1024;
}
