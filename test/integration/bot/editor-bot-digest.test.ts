import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { writeDeliveryConfig } from '../../../harness/delivery-config.js';
import { TEST_REDIS_URL, testRedis } from '../../../harness/redis.js';
import { EDITORS_DIGEST_JOB, startMaintenance } from '../../../jobs/maintenance.job.js';
import { RedisSpendLedger } from '../../../src/adapters/redis/redis-spend-ledger.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { TELEGRAM_SANDBOX_CHANNEL } from '../../../src/sandbox/standins/telegram/index.js';
import { silentLogger } from '../../../src/util/logger.js';
import { waitFor } from '../../support/wait-for.js';
import { EDITOR_ID, type Harness, startHarness } from './editor-bot-harness.js';

const DAY_MS = 86_400_000;
let harness: Harness | undefined;
let removeConfig: () => void = () => undefined;
const redis = testRedis();

afterAll(() => redis.disconnect());
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  removeConfig();
});

// The editors' daily digest: its own job scheduler on the maintenance queue, carried to the bot on the
// editors' news stream and sent to the editors (never the channel), with yesterday's X spend.
describe("editors' digest", () => {
  it("tells the editors yesterday's X spend and the month so far against the budget", async () => {
    const written = writeDeliveryConfig({
      xBilling: { budget: { dailyUsd: 0.5, monthlyUsd: 15 }, editorsDigest: { hour: 8, minute: 30 } },
    });
    removeConfig = written.remove;
    const h = await startHarness({ env: { REGWIRE_CONFIG_DIR: written.dir } });
    harness = h;
    await h.say('/start');
    const now = h.clock.now();
    const yesterday = new Date(now - DAY_MS).toISOString().slice(0, 10);
    // What the workers counted: a thread with its link yesterday ($0.245) and one without today ($0.060).
    const ledger = new RedisSpendLedger(redis, h.prefix);
    const at = (ms: number) => ({ atMs: ms });
    await ledger.record('x', 'story0001', { kind: 'create-with-url', usd: 0.2, ...at(now - DAY_MS) });
    for (let i = 0; i < 3; i++)
      await ledger.record('x', 'story0001', { kind: 'create', usd: 0.015, ...at(now - DAY_MS) });
    for (let i = 0; i < 4; i++)
      await ledger.record('x', 'story0002', { kind: 'create', usd: 0.015, ...at(now) });
    const month = (await ledger.totals('x', now)).monthUsd;

    const config = loadConfig({ env: { REDIS_URL: TEST_REDIS_URL, REGWIRE_CONFIG_DIR: written.dir } });
    const maintenance = await startMaintenance(
      {
        connection: redis,
        prefix: `${h.prefix}:maintenance-test`,
        digest: { ...config.digest, enabled: false },
        editorsDigest: config.xBilling.editorsDigest,
        sweepEveryMs: 3_600_000,
      },
      { ...h.services, logger: silentLogger, now: h.clock.now },
    );
    try {
      const schedulers = await maintenance.queue.getJobSchedulers();
      expect(schedulers.find((s) => s.key === EDITORS_DIGEST_JOB)).toMatchObject({
        pattern: '30 8 * * *',
        tz: 'Europe/Berlin',
      });
      // The scheduled run, now rather than at 08:30.
      const before = h.replies(EDITOR_ID).length;
      await maintenance.queue.add(EDITORS_DIGEST_JOB, {});
      const [digest] = await waitFor(
        () => {
          const got = h
            .replies(EDITOR_ID)
            .slice(before)
            .filter((m) => m.text?.includes("Editors' digest"));
          return got.length > 0 ? got : undefined;
        },
        { what: "the editors' digest in the editor's chat" },
      );
      expect(digest?.text).toContain(`📊 Editors' digest for ${yesterday} (UTC): what X cost`);
      expect(digest?.text).toContain(
        `• x: $0.245 on ${yesterday} (of $0.500 a day) · this month $${month.toFixed(3)} of $15.000 · forecast $`,
      );
      // Nothing of it went to the channel.
      expect(h.standIn.messages(TELEGRAM_SANDBOX_CHANNEL.id)).toHaveLength(0);
    } finally {
      await maintenance.close();
    }
  });
});
