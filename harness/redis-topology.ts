import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort } from './free-port.js';

const run = promisify(execFile);

/** One redis-server (or sentinel) process of a test topology. */
export interface TopologyNode {
  readonly port: number;
  readonly process: ChildProcess;
}

/** A client to one node, for inspecting it (no retries: a node that is gone fails at once). */
export function nodeClient(port: number): Redis {
  const client = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 1, retryStrategy: () => null });
  client.on('error', () => undefined);
  return client;
}

async function waitUntil<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what}: not within ${timeoutMs} ms${last ? ` (${(last as Error).message})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Resolves once the process `pid` answers PING on `port` (a port picked free may have been taken since). */
async function waitForNode(port: number, pid: number, exited: () => boolean): Promise<void> {
  await waitUntil(`redis on port ${port}`, 10_000, async () => {
    if (exited()) throw new Error(`the process on port ${port} exited`);
    const probe = nodeClient(port);
    try {
      const info = await probe.info('server');
      if (!new RegExp(`^process_id:${pid}\\s*$`, 'm').test(info))
        throw new Error(`port ${port} is another Redis`);
      return true;
    } finally {
      probe.disconnect();
    }
  });
}

/**
 * Starts `redis-server` with `args(port)` on a free port (another one if it was taken meanwhile); `extraPorts`
 * more free ports are picked for the arguments (a cluster bus port).
 */
async function startNode(
  args: (port: number, extra: number[]) => string[],
  extraPorts = 0,
): Promise<TopologyNode> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const extra = await Promise.all(Array.from({ length: extraPorts }, () => freePort()));
    const child = spawn('redis-server', args(port, extra), { stdio: 'ignore' });
    const exited = () => child.exitCode !== null || child.signalCode !== null;
    try {
      await waitForNode(port, child.pid ?? -1, exited);
      return { port, process: child };
    } catch (err) {
      if (!exited()) {
        const gone = once(child, 'exit');
        child.kill('SIGKILL');
        await gone;
      }
      if (attempt >= 5) throw err;
    }
  }
}

async function killAll(nodes: readonly TopologyNode[]): Promise<void> {
  await Promise.all(
    nodes.map(async ({ process: p }) => {
      if (p.exitCode !== null || p.signalCode !== null) return;
      const gone = once(p, 'exit');
      p.kill('SIGKILL');
      await gone;
    }),
  );
}

// A replica's first sync starts at once: by default a primary waits 5 s for more replicas to share it.
const COMMON = [
  '--bind',
  '127.0.0.1',
  '--save',
  '',
  '--appendonly',
  'yes',
  '--loglevel',
  'warning',
  '--repl-diskless-sync-delay',
  '0',
];

/** A Redis Cluster of the test's own: primaries with a replica each, on free loopback ports. */
export interface TestRedisCluster {
  readonly nodes: readonly TopologyNode[];
  /** `REDIS_CLUSTER_NODES` for regwire: every node. */
  readonly nodesEnv: string;
  /** Ports of the current primaries, each with the slot ranges it serves. */
  primaries(): Promise<{ port: number; slots: [number, number][] }[]>;
  /** The port of the primary serving `key` now. */
  primaryOf(key: string): Promise<number>;
  /**
   * `CLUSTER FAILOVER` on a replica of the primary on `primaryPort` (a coordinated manual failover: the
   * replica catches up first, then takes over); resolves once the replica is a primary serving the slots.
   * Returns the new primary's port.
   */
  failover(primaryPort: number): Promise<number>;
  /** Kills every node and deletes their data folders. */
  close(): Promise<void>;
}

/**
 * Starts `primaries` × (1 + `replicas`) cluster-enabled redis-servers (AOF on, each in its own folder, with
 * their cluster bus on a second free port), joins them with `redis-cli --cluster create`, and waits for
 * `cluster_state:ok` on every node and for every replica to be in sync.
 */
export async function startRedisCluster(
  options: { primaries?: number; replicas?: number } = {},
): Promise<TestRedisCluster> {
  const primaries = options.primaries ?? 3;
  const replicas = options.replicas ?? 1;
  const root = mkdtempSync(path.join(tmpdir(), 'regwire-cluster-'));
  const nodes: TopologyNode[] = [];
  const close = async () => {
    await killAll(nodes);
    rmSync(root, { recursive: true, force: true });
  };
  const anyNode = async <T>(fn: (c: Redis) => Promise<T>): Promise<T> => {
    for (const n of nodes) {
      if (n.process.exitCode !== null) continue;
      const c = nodeClient(n.port);
      try {
        return await fn(c);
      } catch {
        // try the next one
      } finally {
        c.disconnect();
      }
    }
    throw new Error('no cluster node answers');
  };
  const shards = async () =>
    anyNode(async (c) => {
      const reply = (await c.cluster('SHARDS')) as unknown[][];
      return reply.map((shard) => {
        const fields = new Map<string, unknown>();
        for (let i = 0; i + 1 < shard.length; i += 2) fields.set(String(shard[i]), shard[i + 1]);
        const slotList = (fields.get('slots') as number[]).map(Number);
        const slots: [number, number][] = [];
        for (let i = 0; i + 1 < slotList.length; i += 2) slots.push([slotList[i] ?? 0, slotList[i + 1] ?? 0]);
        const members = (fields.get('nodes') as unknown[][]).map((node) => {
          const f = new Map<string, unknown>();
          for (let i = 0; i + 1 < node.length; i += 2) f.set(String(node[i]), node[i + 1]);
          return {
            port: Number(f.get('port')),
            role: String(f.get('role')),
            health: String(f.get('health')),
          };
        });
        return { slots, members };
      });
    });

  try {
    const started = await Promise.all(
      Array.from({ length: primaries * (1 + replicas) }, (_, i) => {
        const dir = path.join(root, `n${i}`);
        mkdirSync(dir);
        return startNode(
          (port, [bus]) => [
            '--port',
            String(port),
            '--cluster-enabled',
            'yes',
            '--cluster-port',
            String(bus),
            '--cluster-config-file',
            path.join(dir, 'nodes.conf'),
            '--cluster-node-timeout',
            '3000',
            '--dir',
            dir,
            ...COMMON,
          ],
          1,
        );
      }),
    );
    nodes.push(...started);
    await run(
      'redis-cli',
      [
        '--cluster',
        'create',
        ...nodes.map((n) => `127.0.0.1:${n.port}`),
        '--cluster-replicas',
        String(replicas),
        '--cluster-yes',
      ],
      { timeout: 30_000 },
    );
    await waitUntil('cluster_state:ok on every node, replicas in sync', 30_000, async () => {
      for (const n of nodes) {
        const c = nodeClient(n.port);
        try {
          if (!(await c.cluster('INFO')).includes('cluster_state:ok')) return undefined;
        } finally {
          c.disconnect();
        }
      }
      const members = (await shards()).flatMap((shard) => shard.members);
      return members.length === nodes.length && members.every((m) => m.health === 'online')
        ? true
        : undefined;
    });
  } catch (err) {
    await close();
    throw err;
  }

  const primariesNow = async () =>
    (await shards())
      .filter((s) => s.slots.length > 0)
      .map((s) => ({
        port: s.members.find((m) => m.role === 'master')?.port ?? -1,
        slots: s.slots,
      }));

  return {
    nodes,
    nodesEnv: nodes.map((n) => `127.0.0.1:${n.port}`).join(','),
    primaries: primariesNow,
    async primaryOf(key) {
      const slot = await anyNode(async (c) => Number(await c.cluster('KEYSLOT', key)));
      const owner = (await primariesNow()).find((p) => p.slots.some(([a, b]) => slot >= a && slot <= b));
      if (!owner) throw new Error(`no primary serves slot ${slot}`);
      return owner.port;
    },
    async failover(primaryPort) {
      // A replica may be a moment from `online` (a sync under way): give it a few seconds.
      const replica = await waitUntil(
        `an online replica of the primary on ${primaryPort}`,
        10_000,
        async () => {
          const shard = (await shards()).find((s) =>
            s.members.some((m) => m.port === primaryPort && m.role === 'master'),
          );
          return shard?.members.find((m) => m.role === 'replica' && m.health === 'online');
        },
      );
      const tookOver = async () => {
        const now = await primariesNow();
        return now.some((p) => p.port === replica.port) && !now.some((p) => p.port === primaryPort)
          ? true
          : undefined;
      };
      // A manual failover is given up by Redis when the primary does not pause its clients and hand over
      // its offset within 5 s (CLUSTER_MF_TIMEOUT), which a loaded machine can miss; then it is asked again.
      const what = `replica ${replica.port} to take over from ${primaryPort}`;
      for (let attempt = 1; ; attempt++) {
        // The attempt before may have landed just after its wait: a primary refuses CLUSTER FAILOVER.
        if (attempt > 1 && (await tookOver().catch(() => undefined))) return replica.port;
        const c = nodeClient(replica.port);
        try {
          await c.cluster('FAILOVER');
        } finally {
          c.disconnect();
        }
        try {
          await waitUntil(what, 7_000, tookOver);
          return replica.port;
        } catch (err) {
          if (attempt >= 3) throw err;
        }
      }
    },
    close,
  };
}

/** A primary, a replica and a sentinel (quorum 1) of the test's own. */
export interface TestRedisSentinel {
  /** `REDIS_SENTINELS` for regwire. */
  readonly sentinelsEnv: string;
  /** `REDIS_SENTINEL_NAME`. */
  readonly name: string;
  readonly nodes: readonly TopologyNode[];
  /** The port of the current primary, as the sentinel says. */
  primaryPort(): Promise<number>;
  /** `SENTINEL FAILOVER`; resolves once the sentinel names the replica as primary and it accepts writes. */
  failover(): Promise<number>;
  close(): Promise<void>;
}

/** Starts a primary, its replica and one sentinel watching them (quorum 1), and waits until all agree. */
export async function startRedisSentinel(): Promise<TestRedisSentinel> {
  const name = 'regwire-test';
  const root = mkdtempSync(path.join(tmpdir(), 'regwire-sentinel-'));
  const nodes: TopologyNode[] = [];
  const close = async () => {
    await killAll(nodes);
    rmSync(root, { recursive: true, force: true });
  };
  const dataNode = (dir: string, replicaOf?: number) => {
    mkdirSync(dir);
    return startNode((port) => [
      '--port',
      String(port),
      '--dir',
      dir,
      ...(replicaOf ? ['--replicaof', '127.0.0.1', String(replicaOf)] : []),
      ...COMMON,
    ]);
  };
  let sentinelPort = 0;
  try {
    const primary = await dataNode(path.join(root, 'primary'));
    nodes.push(primary);
    nodes.push(await dataNode(path.join(root, 'replica'), primary.port));
    const conf = path.join(root, 'sentinel.conf');
    const sentinel = await startNode((port) => {
      writeFileSync(
        conf,
        [
          `port ${port}`,
          'bind 127.0.0.1',
          `dir ${root}`,
          `sentinel monitor ${name} 127.0.0.1 ${primary.port} 1`,
          `sentinel down-after-milliseconds ${name} 2000`,
          `sentinel failover-timeout ${name} 10000`,
          'sentinel resolve-hostnames no',
          '',
        ].join('\n'),
      );
      return [conf, '--sentinel', '--loglevel', 'warning'];
    });
    nodes.push(sentinel);
    sentinelPort = sentinel.port;
    const replicaPort = nodes[1]?.port ?? 0;
    await waitUntil('the replica in sync', 20_000, async () => {
      const c = nodeClient(replicaPort);
      try {
        return (await c.info('replication')).includes('master_link_status:up') ? true : undefined;
      } finally {
        c.disconnect();
      }
    });
    await waitUntil('the sentinel to see the replica in sync', 20_000, async () => {
      const c = nodeClient(sentinelPort);
      try {
        const replicasSeen = (await c.call('SENTINEL', 'REPLICAS', name)) as unknown[][];
        const flags = replicasSeen.map((r) => String(r[r.indexOf('flags') + 1]));
        return flags.length === 1 && flags[0] === 'slave' ? true : undefined;
      } finally {
        c.disconnect();
      }
    });
  } catch (err) {
    await close();
    throw err;
  }
  const primaryPort = async () => {
    const c = nodeClient(sentinelPort);
    try {
      const [, port] = (await c.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name)) as [string, string];
      return Number(port);
    } finally {
      c.disconnect();
    }
  };
  return {
    sentinelsEnv: `127.0.0.1:${sentinelPort}`,
    name,
    nodes,
    primaryPort,
    async failover() {
      const before = await primaryPort();
      const c = nodeClient(sentinelPort);
      try {
        await c.call('SENTINEL', 'FAILOVER', name);
      } finally {
        c.disconnect();
      }
      return waitUntil('the sentinel failover', 20_000, async () => {
        const now = await primaryPort();
        if (now === before) return undefined;
        const p = nodeClient(now);
        try {
          return (await p.info('replication')).includes('role:master') ? now : undefined;
        } finally {
          p.disconnect();
        }
      });
    },
    close,
  };
}
