import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OwnRedisServer, startOwnRedis } from '../../../harness/delivery-redis-server.js';
import { uniquePrefix } from '../../../harness/redis.js';
import { type App, startApp } from '../../../src/app/start-app.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { startTelegramStandIn, type TelegramStandIn } from '../../../src/sandbox/standins/telegram/index.js';
import { startXStandIn, type XStandIn } from '../../../src/sandbox/standins/x/index.js';
import { silentLogger } from '../../../src/util/logger.js';
import {
  allSettled,
  expectEachStoryPublishedOnce,
  queueStories,
  standInEnv,
  writeDeliveryConfig,
} from '../../support/delivery-harness.js';
import { waitFor } from '../../support/wait-for.js';

const STORIES = 8;
const OUTAGE_MS = 2_000;

// regwire's own Redis is crashed (SIGKILL) mid-run and restarted from its append-only file. The server
// runs with `appendonly yes` + `appendfsync always`: a restart then holds every write Redis acknowledged,
// as a production Redis configured for durability would. (SHUTDOWN NOSAVE, or no persistence at all,
// would lose the queues; that is a different failure, covered by the sweep.)
describe('a Redis outage mid-run', () => {
  let server: OwnRedisServer;
  let telegram: TelegramStandIn;
  let x: XStandIn;
  let app: App;
  let removeConfig: () => void;
  const events: { kind: 'post' | 'tweet'; at: number }[] = [];

  beforeAll(async () => {
    server = await startOwnRedis();
    telegram = await startTelegramStandIn({ floodLimits: false });
    x = await startXStandIn();
    telegram.onEvent((e) => {
      if (e.type === 'message-posted') events.push({ kind: 'post', at: Date.now() });
    });
    x.onEvent((e) => {
      if (e.type === 'tweet-created') events.push({ kind: 'tweet', at: Date.now() });
    });
    const written = writeDeliveryConfig({
      concurrency: 2,
      telegramRate: { perMinute: 600, minIntervalMs: 400 },
      xRate: { windowMs: 900_000, perWindow: 100, perDay: 2_400, minIntervalMs: 200 },
    });
    removeConfig = written.remove;
    const env = standInEnv({
      redisUrl: server.url,
      prefix: uniquePrefix('outage'),
      configDir: written.dir,
      telegram,
      x,
    });
    app = await startApp(loadConfig({ env }), silentLogger, {
      roles: { workers: true, web: false, maintenance: false },
      shutdownGraceMs: 1_000,
    });
  });

  afterAll(async () => {
    await app?.close();
    await telegram?.close();
    await x?.close();
    await server?.close();
    removeConfig?.();
  });

  it('loses and duplicates nothing, and publishing resumes within seconds of the restart', async () => {
    const ids = await queueStories(app.services, STORIES, 'outage');
    // Crash once publishing is well under way (a third of the tweets out).
    await waitFor(() => x.tweets().length >= 10, { timeoutMs: 15_000, what: 'publishing to get going' });
    await server.crash();
    const crashedAt = Date.now();
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    const sentWhileDown = events.filter((e) => e.at > crashedAt + 500).length;
    await server.restart();
    const restartedAt = Date.now();

    await waitFor(() => allSettled(app.services, ids), {
      timeoutMs: 20_000,
      intervalMs: 100,
      what: 'every story to settle',
    });
    const resumedAt = events.find((e) => e.at >= restartedAt)?.at ?? Number.POSITIVE_INFINITY;
    console.info(
      `redis outage: down ${OUTAGE_MS} ms; ${sentWhileDown} send(s) while down; first send ${resumedAt - restartedAt} ms after the restart`,
    );
    // In-flight calls may finish, but nothing new starts while the ledger cannot be written.
    expect(sentWhileDown).toBe(0);
    expect(resumedAt - restartedAt).toBeLessThan(5_000);

    await expectEachStoryPublishedOnce(app.services, ids, telegram, x, () => 4);
  }, 45_000);
});
