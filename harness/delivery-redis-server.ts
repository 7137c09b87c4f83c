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

/**
 * Resolves once the redis-server with process id `pid` answers on `port`. Checking the pid matters: a port
 * picked free a moment ago may since have been taken by another server, which would answer PING too.
 */
async function waitForOwnServer(
  port: number,
  pid: number,
  exited: () => boolean,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited()) throw new Error(`redis-server on port ${port} exited before answering`);
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
      if ((await probe.ping()) === 'PONG') {
        const info = await probe.info('server');
        if (new RegExp(`^process_id:${pid}\\s*$`, 'm').test(info)) return;
        throw new Error(`port ${port} is answered by another Redis, not the one started here`);
      }
    } catch (error) {
      if (error instanceof Error && error.message.includes('another Redis')) throw error;
      // not up yet (or still loading the AOF)
    } finally {
      probe.disconnect();
    }
    if (Date.now() > deadline)
      throw new Error(`redis-server on port ${port} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// redis-server cannot listen on port 0 and report the port back: pick one free a moment ago, and if it was
// taken meanwhile, pick another.
const PORT_ATTEMPTS = 5;

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
  const dir = mkdtempSync(path.join(tmpdir(), 'regwire-redis-'));
  const durable = options.durable ?? true;
  const args = (port: number) => [
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
  let port = 0;
  const launch = async () => {
    const p = spawn(binary, args(port), { stdio: 'ignore' });
    proc = p;
    await waitForOwnServer(port, p.pid ?? -1, () => p.exitCode !== null || p.signalCode !== null, 10_000);
  };
  const kill = async (signal: NodeJS.Signals) => {
    const p = proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const exited = once(p, 'exit');
    p.kill(signal);
    await exited;
  };
  for (let attempt = 1; ; attempt += 1) {
    port = await freePort();
    try {
      await launch();
      break;
    } catch (error) {
      await kill('SIGKILL');
      if (attempt >= PORT_ATTEMPTS) throw error;
    }
  }
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
