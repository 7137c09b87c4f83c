import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
/** `src/main.ts` run as `npm start` runs it (through tsx), but with an absolute loader path. */
const MAIN_TS = path.join(ROOT, 'src', 'main.ts');
const TSX_LOADER = pathToFileURL(path.join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

/** One JSON log line a regwire process wrote on stdout (pino), with `time` in epoch ms. */
export interface LogLine {
  readonly level: number;
  readonly time: number;
  readonly msg: string;
  readonly [field: string]: unknown;
}

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** `Date.now()` in this process when the exit was seen. */
  readonly at: number;
}

/** A `regwire` process (`src/main.ts`, or a built `dist/src/main.js`) running as a child of the test. */
export interface RegwireProcess {
  readonly name: string;
  readonly process: ChildProcess;
  readonly pid: number;
  /** Resolves on the "regwire is running" log line; rejects if the process exits first or after 25 s. */
  readonly ready: Promise<void>;
  /** Resolves once the process has exited (never rejects). */
  readonly exited: Promise<ExitInfo>;
  /** Every JSON log line so far (non-JSON stdout lines are skipped). */
  lines(): LogLine[];
  /** Raw stdout and stderr, for failure messages. */
  output(): string;
  /** Sends `signal` and returns `Date.now()` just before sending it. */
  signal(signal: NodeJS.Signals): number;
  /** SIGTERM, then SIGKILL after `graceMs` if still running; resolves with the exit. */
  stop(graceMs?: number): Promise<ExitInfo>;
}

export interface SpawnRegwireOptions {
  /** Exactly this environment (nothing is inherited, not even PATH). */
  readonly env: Record<string, string>;
  /** Arguments after the script, e.g. `['--role', 'worker']`. */
  readonly args?: readonly string[];
  /** A built `main.js` to run with plain node; default `src/main.ts` through tsx. */
  readonly script?: string;
  /**
   * Working directory. Default: a fresh empty temporary folder (removed on exit), so no `.env` of the
   * repository is read and nothing relies on the repository being the working directory.
   */
  readonly cwd?: string;
  /** Label used in messages. */
  readonly name?: string;
}

/** Starts a regwire process the way an operator does: `node [--import tsx] main --role …`, env only. */
export function spawnRegwire(options: SpawnRegwireOptions): RegwireProcess {
  const ownCwd = options.cwd === undefined ? mkdtempSync(path.join(tmpdir(), 'regwire-cwd-')) : undefined;
  const cwd = options.cwd ?? ownCwd ?? ROOT;
  const script = options.script ?? MAIN_TS;
  const nodeArgs = options.script ? [script] : ['--import', TSX_LOADER, script];
  const child = spawn(process.execPath, [...nodeArgs, ...(options.args ?? [])], {
    cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const name = options.name ?? `regwire[${child.pid ?? '?'}]`;
  const lines: LogLine[] = [];
  let output = '';
  let partial = '';
  let onLine: ((line: LogLine) => void) | undefined;
  child.stdout?.on('data', (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    output += text;
    partial += text;
    const complete = partial.split('\n');
    partial = complete.pop() ?? '';
    for (const raw of complete) {
      if (!raw.startsWith('{')) continue;
      try {
        const line = JSON.parse(raw) as LogLine;
        lines.push(line);
        onLine?.(line);
      } catch {
        // not a log line
      }
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (code, signal) => {
      if (ownCwd) rmSync(ownCwd, { recursive: true, force: true });
      resolve({ code, signal, at: Date.now() });
    });
  });
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} not running after 25 s:\n${output.slice(-3000)}`)),
      25_000,
    );
    onLine = (line) => {
      if (typeof line.msg === 'string' && line.msg.startsWith('regwire is running')) {
        clearTimeout(timer);
        resolve();
      }
    };
    void exited.then((info) => {
      clearTimeout(timer);
      reject(
        new Error(`${name} exited (${info.code ?? info.signal}) before running:\n${output.slice(-3000)}`),
      );
    });
  });
  ready.catch(() => undefined);
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    name,
    process: child,
    pid: child.pid ?? -1,
    ready,
    exited,
    lines: () => [...lines],
    output: () => output,
    signal(signal) {
      const at = Date.now();
      if (alive()) child.kill(signal);
      return at;
    },
    async stop(graceMs = 15_000) {
      if (alive()) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => {
          if (alive()) child.kill('SIGKILL');
        }, graceMs);
        const info = await exited;
        clearTimeout(timer);
        return info;
      }
      return exited;
    },
  };
}

/** Which `(storyId, destination)` publications a process logged as published. */
export function publishedBy(proc: RegwireProcess): { storyId: string; destination: string; time: number }[] {
  return proc
    .lines()
    .filter((l) => l.msg === 'published' && typeof l.storyId === 'string')
    .map((l) => ({ storyId: String(l.storyId), destination: String(l.destination), time: l.time }));
}
