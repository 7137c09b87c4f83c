import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SCRIPT = fileURLToPath(new URL('./standins-process.ts', import.meta.url));

/** The stand-ins running in `standins-process.ts`, and the commands it answers. */
export interface StandInsChild {
  readonly telegram: { readonly apiRoot: string };
  readonly x: { readonly apiRoot: string };
  /** A fresh X account and call clock. */
  reset(): Promise<void>;
  /** Platform posts and tweets since the last reset, and the time from the first to the last. */
  stats(): Promise<{ count: number; elapsedMs: number }>;
  close(): Promise<void>;
}

/** Starts both stand-ins in a process of their own (`latencyMs`: each post and tweet answered that late). */
export async function startStandInsChild(latencyMs = 0): Promise<StandInsChild> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', SCRIPT, String(latencyMs)], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines: Interface = createInterface({ input: child.stdout! });
  const waiting: ((line: string) => void)[] = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  const next = () => new Promise<string>((resolve) => waiting.push(resolve));
  const ask = async (command: string) => {
    const reply = next();
    child.stdin!.write(`${command}\n`);
    return JSON.parse(await reply) as unknown;
  };
  const urls = JSON.parse(await next()) as { telegram: string; x: string };
  return {
    telegram: { apiRoot: urls.telegram },
    x: { apiRoot: urls.x },
    async reset() {
      await ask('reset');
    },
    async stats() {
      return (await ask('stats')) as { count: number; elapsedMs: number };
    },
    async close() {
      const exited = once(child, 'exit');
      child.stdin!.write('close\n');
      await exited;
    },
  };
}
