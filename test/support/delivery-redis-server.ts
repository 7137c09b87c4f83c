import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './free-port.js';

/** A Redis server of the test's own, on a free port, that the test can crash and restart. */
export interface OwnRedisServer {
  readonly port: number;
  readonly url: string;
  /** SIGKILL: no shutdown, no save; what survives is what the AOF already holds. */
  crash(): Promise<void>;
  /** Starts it again on the same port and data folder; resolves once it answers PING (AOF loaded). */
  restart(): Promise<void>;
  /** Stops it and deletes its data folder. */
  close(): Promise<void>;
}

function redisServerBinary(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(
      'redis-server is not on PATH: the Redis outage test and the scale bench start a Redis of their own. Install redis-server (CI has it).',
    );
  }
}

async function waitForPing(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const probe = new Redis({
      port,
      host: '127.0.0.1',
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      if ((await probe.ping()) === 'PONG') return;
    } catch {
      // not up yet (or still loading the AOF)
    } finally {
      probe.disconnect();
    }
    if (Date.now() > deadline)
      throw new Error(`redis-server on port ${port} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Starts `redis-server` on a free loopback port with its own data folder.
 * `durable` (default true): `appendonly yes` + `appendfsync always`, so every write Redis acknowledged is on
 * disk before the reply and survives a SIGKILL (with the default `everysec`, a crash may lose the last
 * second). RDB snapshots are off (`save ""`): the AOF alone carries the data across a restart.
 * `hz` (default 10, Redis's own default): how often Redis runs its timers, which bounds how late a blocked
 * client's timeout (BullMQ's wait for the next delayed job) can fire.
 */
export async function startOwnRedis(
  options: { durable?: boolean; hz?: number } = {},
): Promise<OwnRedisServer> {
  const binary = redisServerBinary();
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'regwire-redis-'));
  const durable = options.durable ?? true;
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--dir',
    dir,
    '--appendonly',
    durable ? 'yes' : 'no',
    '--appendfsync',
    'always',
    '--daemonize',
    'no',
    '--loglevel',
    'warning',
    '--hz',
    String(options.hz ?? 10),
  ];
  let proc: ChildProcess | undefined;
  const launch = async () => {
    proc = spawn(binary, args, { stdio: 'ignore' });
    await waitForPing(port, 10_000);
  };
  const kill = async (signal: NodeJS.Signals) => {
    const p = proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const exited = once(p, 'exit');
    p.kill(signal);
    await exited;
  };
  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    crash: () => kill('SIGKILL'),
    restart: launch,
    async close() {
      await kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
