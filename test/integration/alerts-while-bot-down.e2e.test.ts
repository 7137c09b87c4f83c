import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deletePrefix, TEST_REDIS_URL, testRedis, uniquePrefix } from '../../harness/redis.js';
import { type App, startApp } from '../../src/app/start-app.js';
import type { Config } from '../../src/config/config.js';
import { loadConfig } from '../../src/config/load-config.js';
import { startTelegramStandIn, type TelegramStandIn } from '../../src/sandbox/standins/telegram/index.js';
import { startXStandIn, type XStandIn } from '../../src/sandbox/standins/x/index.js';
import { silentLogger } from '../../src/util/logger.js';
import { LIMITS_OFF, queueStories, standInEnv, writeDeliveryConfig } from '../support/delivery-harness.js';
import { waitFor } from '../support/wait-for.js';

const EDITOR = 7_001;
const BOT_ONLY = { workers: false, web: false, maintenance: false, bot: true } as const;

// Workers and the editor bot run in separate processes (separate apps here). An outcome that stays
// unknown while the bot is down, or restarting, must still reach the editors once it is back: they are
// the only ones who can decide whether the post went out. And it reaches them once.
describe('an unknown outcome while the editor bot is down', () => {
  let telegram: TelegramStandIn;
  let x: XStandIn;
  let config: Config;
  let workers: App | undefined;
  let bot: App | undefined;
  let removeConfig: () => void = () => undefined;
  const prefix = uniquePrefix('alerts-down');
  const redis = testRedis();

  beforeAll(async () => {
    telegram = await startTelegramStandIn();
    x = await startXStandIn();
    const written = writeDeliveryConfig({ ...LIMITS_OFF, requestTimeoutMs: 300 });
    removeConfig = written.remove;
    config = loadConfig({
      env: {
        ...standInEnv({ redisUrl: TEST_REDIS_URL, prefix, configDir: written.dir, telegram, x }),
        EDITOR_IDS: String(EDITOR),
      },
    });
    workers = await startApp(config, silentLogger, {
      roles: { workers: true, web: false, maintenance: false },
    });
  });

  afterAll(async () => {
    await bot?.close();
    await workers?.close();
    await deletePrefix(redis, prefix);
    redis.disconnect();
    await Promise.all([telegram?.close(), x?.close()]);
    removeConfig();
  });

  it('is told to the editors when the bot starts, with its buttons, and not again after a restart', async () => {
    const services = workers!.services;
    telegram.faults.add({ method: 'sendMessage', kind: 'timeout-after', times: 1 });
    const [storyId = ''] = await queueStories(services, 1, 'bot-down');
    await waitFor(
      async () =>
        (await services.store.publications(storyId)).find(
          (p) => p.destination === 'telegram' && p.state === 'needs-attention',
        ),
      { what: 'the channel post to need an editor' },
    );
    // The editor has talked to the bot before (Telegram only lets a bot write to users who did).
    telegram.sendUserMessage({ fromId: EDITOR, text: '/start' });

    bot = await startApp(config, silentLogger, { roles: BOT_ONLY });
    const alertOf = () =>
      telegram
        .botReplies(EDITOR)
        .filter((m) => m.text?.includes('Outcome unknown') && m.text.includes(storyId));
    const [alert] = await waitFor(() => (alertOf().length > 0 ? alertOf() : undefined), {
      what: 'the alert in the editor’s chat',
    });
    expect(alert?.text).toContain(`${storyId} on telegram, part 1`);
    expect(JSON.stringify(alert?.reply_markup)).toContain('Mark as posted');

    await bot.close();
    bot = await startApp(config, silentLogger, { roles: BOT_ONLY });
    await bot.services.alerts.whenSubscribed();
    // Nothing left for the restarted bot to read or acknowledge: had it re-sent the alert, it would be there.
    await waitFor(async () => (await bot?.services.alerts.backlog()) === 0, {
      what: 'the restarted bot to handle every alert waiting',
    });
    expect(alertOf()).toHaveLength(1);
  });
});
