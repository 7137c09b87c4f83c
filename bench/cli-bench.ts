import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { deliveryStory } from '../harness/delivery-config.js';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../harness/redis.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'regwire.mjs');

/** One CLI command's wall time over its runs, from spawn to exit, in ms. */
export interface CliLatency {
  readonly command: 'render' | 'queue' | 'status';
  readonly runs: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/**
 * What a person waits for: `regwire render|queue|status` as the `regwire` command runs them (bin/regwire.mjs
 * on the build, which this builds first with the package's own build script), `runs` times each, one
 * after another, after one untimed run per command (a warm machine: files in the page cache). `queue`
 * queues a new story each run (a repeated one would stop at the duplicate check); `status` reads one.
 */
export async function benchCli(runs = 20): Promise<CliLatency[]> {
  execFileSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'ignore' });
  const prefix = uniquePrefix('clibench');
  const dir = mkdtempSync(path.join(tmpdir(), 'regwire-cli-bench-'));
  // No credentials: the sandbox's destinations (nothing is sent: no worker runs).
  const env = { REDIS_URL: TEST_REDIS_URL, REGWIRE_QUEUE_PREFIX: prefix };
  const storyFile = (n: number) => {
    const file = path.join(dir, `story-${n}.json`);
    writeFileSync(file, JSON.stringify(deliveryStory(n, prefix)));
    return file;
  };
  const run = (args: readonly string[]): { ms: number; stdout: string } => {
    const started = performance.now();
    const result = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, env, encoding: 'utf8' });
    const ms = performance.now() - started;
    if (result.status !== 0) throw new Error(`bench: regwire ${args[0]} failed: ${result.stderr}`);
    if (result.stderr.includes('through tsx'))
      throw new Error(`bench: regwire ran from source: ${result.stderr}`);
    return { ms, stdout: result.stdout };
  };
  try {
    const id = run(['queue', storyFile(0)]).stdout.trim();
    const commands: [CliLatency['command'], (i: number) => string[]][] = [
      ['render', () => ['render', storyFile(0)]],
      ['queue', (i) => ['queue', storyFile(i + 1)]],
      ['status', () => ['status', id]],
    ];
    return commands.map(([command, args]) => {
      run(args(runs));
      const times = Array.from({ length: runs }, (_, i) => run(args(i)).ms).sort((a, b) => a - b);
      return { command, runs, p50Ms: percentile(times, 50), p95Ms: percentile(times, 95) };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
    const redis = new Redis(TEST_REDIS_URL);
    await deletePrefix(redis, prefix).finally(() => redis.disconnect());
  }
}
