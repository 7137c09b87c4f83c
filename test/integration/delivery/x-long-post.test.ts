import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deletePrefix, TEST_REDIS_URL, testRedis, uniquePrefix } from '../../../harness/redis.js';
import { type App, startApp } from '../../../src/app/start-app.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { parsePost } from '../../../src/format/x-length.js';
import { startTelegramStandIn } from '../../../src/sandbox/standins/telegram/index.js';
import { startXStandIn, X_SANDBOX_ACCOUNT, type XStandIn } from '../../../src/sandbox/standins/x/index.js';
import { silentLogger } from '../../../src/util/logger.js';
import {
  allSettled,
  auditStories,
  LIMITS_OFF,
  queueStories,
  standInEnv,
  writeDeliveryConfig,
} from '../../support/delivery-harness.js';
import { waitFor } from '../../support/wait-for.js';

const WORKERS_ONLY = { workers: true, web: false, maintenance: false } as const;

// Long posts through the whole pipeline: the formatter, the worker, the real client, the stand-in's
// per-account length rule.
describe('long posts for an X Premium account', () => {
  let redis: Redis;
  const closers: (() => Promise<void>)[] = [];

  beforeAll(() => {
    redis = testRedis();
  });
  afterAll(() => redis.disconnect());
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  async function rig(xFormat: Record<string, unknown>, premium: boolean): Promise<{ app: App; x: XStandIn }> {
    const telegram = await startTelegramStandIn({ floodLimits: false });
    const account = premium ? { ...X_SANDBOX_ACCOUNT, maxWeightedLength: 25_000 } : X_SANDBOX_ACCOUNT;
    const x = await startXStandIn({ accounts: [account] });
    const prefix = uniquePrefix('long');
    const { dir, remove } = writeDeliveryConfig({ ...LIMITS_OFF, xFormat });
    const config = loadConfig({
      env: standInEnv({ redisUrl: TEST_REDIS_URL, prefix, configDir: dir, telegram, x }),
    });
    const app = await startApp(config, silentLogger, { roles: WORKERS_ONLY, shutdownGraceMs: 500 });
    closers.push(async () => {
      await app.close();
      await telegram.close();
      await x.close();
      await deletePrefix(redis, prefix);
      remove();
    });
    return { app, x };
  }

  for (const format of ['auto', 'long-post'] as const) {
    it(`${format}: one valid long post for a Premium account`, async () => {
      const { app, x } = await rig({ maxWeightedLength: 25_000, format }, true);
      const [id = ''] = await queueStories(app.services, 1, format);
      await waitFor(() => allSettled(app.services, [id]), { what: 'the story to settle' });
      const [audit] = await auditStories(app.services, [id], undefined, x);
      expect(audit).toMatchObject({
        xState: 'published',
        tweets: 1,
        chainComplete: true,
        ledgerMatches: true,
      });
      const [tweet] = x.tweets();
      expect(parsePost(tweet?.text ?? '', 25_000)).toMatchObject({ valid: true });
      expect(parsePost(tweet?.text ?? '').weightedLength).toBeGreaterThan(280);
    });
  }

  it('a thread of posts within 280 for an account configured at 280', async () => {
    const { app, x } = await rig({ format: 'auto' }, false);
    const [id = ''] = await queueStories(app.services, 1, 'standard');
    await waitFor(() => allSettled(app.services, [id]), { what: 'the story to settle' });
    const [audit] = await auditStories(app.services, [id], undefined, x);
    expect(audit).toMatchObject({ xState: 'published', tweets: 4, chainComplete: true });
    for (const t of x.tweets()) expect(parsePost(t.text).valid).toBe(true);
  });
});
