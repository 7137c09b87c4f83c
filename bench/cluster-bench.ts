/**
 * `npx tsx bench/cluster-bench.ts`: stories per second end to end on one Redis against a Redis Cluster of
 * 3 primaries and 3 replicas started here (with and without the replica wait), and with 1, 2, 3 worker
 * processes on the cluster. Needs the local Redis (TEST_REDIS_URL) and `redis-server`/`redis-cli` on PATH.
 * Each figure is one run of {@link benchScale} (150 stories of a post and a 4-tweet thread, limits off,
 * platforms answering after 25 ms); runs on a shared 2-core machine vary by tens of percent.
 */
import { startRedisCluster } from '../harness/redis-topology.js';
import { benchScale, LOCAL_REDIS } from './scale-bench.js';

const cluster = await startRedisCluster({ primaries: 3, replicas: 1 });
try {
  const onCluster = { label: 'cluster', env: { REDIS_CLUSTER_NODES: cluster.nodesEnv } };
  const noWait = {
    label: 'cluster, REDIS_WAIT_REPLICAS=0',
    env: { ...onCluster.env, REDIS_WAIT_REPLICAS: '0' },
  };
  const rows: string[] = [];
  for (const [target, workers] of [
    [LOCAL_REDIS, [1, 3]],
    [noWait, [1]],
    [onCluster, [1, 2, 3]],
  ] as const) {
    const result = await benchScale(150, workers, { target });
    for (const run of result.runs) {
      rows.push(
        `| ${target.label} | ${run.workers} | ${run.storiesPerSecond.toFixed(1)} | ${(run.elapsedMs / 1000).toFixed(1)} s |`,
      );
    }
  }
  console.log('| Redis | worker processes | stories/s | elapsed |\n|---|---|---|---|');
  console.log(rows.join('\n'));
} finally {
  await cluster.close();
}
