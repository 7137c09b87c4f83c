import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RegwireProcess, spawnRegwire } from '../../../harness/ops-process.js';
import { deletePrefix, TEST_REDIS_URL, testRedis, uniquePrefix } from '../../../harness/redis.js';
import { createDeskServices, type DeskServices } from '../../../src/app/desk-services.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { startTelegramStandIn, type TelegramStandIn } from '../../../src/sandbox/standins/telegram/index.js';
import { startXStandIn, type XStandIn } from '../../../src/sandbox/standins/x/index.js';
import { silentLogger } from '../../../src/util/logger.js';
import {
  allSettled,
  auditStories,
  expectEachStoryPublishedOnce,
  expectTelegramOutcomes,
  SYSTEM_ACTOR,
  standInEnv,
  writeDeliveryConfig,
} from '../../support/delivery-harness.js';
import { type RequestLog, startRequestLog } from '../../support/ops-request-log.js';
import { waitFor } from '../../support/wait-for.js';

/** `startApp`'s default shutdown grace, which `src/main.ts` uses. */
const GRACE_MS = 10_000;
const X_LATENCY_MS = 250;
const TG_LATENCY_MS = 150;
/** Paragraphs per story: threads of several tweets, of different lengths (the formatter decides how many). */
const PARAGRAPHS = [4, 5, 6, 4, 5, 6] as const;

function story(n: number, paragraphs: number, tag: string) {
  const body = Array.from(
    { length: paragraphs },
    (_, i) =>
      `Point ${i + 1} for district ${n} (${tag}): the authority said reserve reports must now be audited every quarter, and issuers that miss a deadline face a halt on new tokens.`,
  ).join('\n\n');
  return {
    title: `District ${n} tightens stablecoin reserve audits (${tag})`,
    body,
    url: `https://news.example.com/${tag}/audits-${n}`,
  };
}

// `regwire start --role worker` (src/main.ts through tsx, configured by its environment only) publishes
// X threads with a slow platform, one job at a time per destination. SIGTERM lands while a thread is
// half posted: the process must stop taking jobs, finish what it holds, close and exit 0; a new worker
// then completes the rest exactly once.
describe('SIGTERM to a worker process mid-thread', () => {
  let telegram: TelegramStandIn;
  let x: XStandIn;
  let xLog: RequestLog;
  let redis: Redis;
  let services: DeskServices;
  let removeConfig: () => void;
  let env: Record<string, string>;
  const prefix = uniquePrefix('graceful');
  const children: RegwireProcess[] = [];

  beforeAll(async () => {
    telegram = await startTelegramStandIn({ floodLimits: false });
    x = await startXStandIn();
    telegram.faults.add({ method: 'sendMessage', kind: 'latency', latencyMs: TG_LATENCY_MS });
    x.faults.add({ method: 'POST /2/tweets', kind: 'latency', latencyMs: X_LATENCY_MS });
    xLog = await startRequestLog(x.apiRoot);
    redis = testRedis();
    const written = writeDeliveryConfig({
      concurrency: 1,
      requestTimeoutMs: 3_000,
      telegramRate: { perMinute: 600, minIntervalMs: 600 },
      xRate: { windowMs: 900_000, perWindow: 100, perDay: 2_400, minIntervalMs: 50 },
    });
    removeConfig = written.remove;
    env = {
      ...standInEnv({ redisUrl: TEST_REDIS_URL, prefix, configDir: written.dir, telegram, x }),
      X_API_ROOT: xLog.apiRoot,
      LOG_LEVEL: 'info',
    };
    services = createDeskServices(loadConfig({ env }), redis, silentLogger);
  });

  afterAll(async () => {
    for (const c of children) await c.stop(2_000);
    await services?.close();
    await deletePrefix(redis, prefix);
    redis.disconnect();
    await xLog?.close();
    await telegram?.close();
    await x?.close();
    removeConfig?.();
  });

  it('finishes the thread in flight, takes nothing new, exits 0; a restart completes the rest exactly once', async () => {
    const tag = `graceful${Date.now() % 100_000}`;
    const ids: string[] = [];
    const threadLength = new Map<string, number>();
    const storyOfRoot = new Map<string, string>();
    for (const [i, paragraphs] of PARAGRAPHS.entries()) {
      const draft = await services.desk.createDraft(story(i + 1, paragraphs, tag), SYSTEM_ACTOR);
      if (!draft.ok) throw new Error(draft.error);
      const id = draft.value.story.id;
      threadLength.set(id, draft.value.rendered.x.length);
      storyOfRoot.set(draft.value.rendered.x[0]?.text ?? '', id);
      const scheduled = await services.desk.schedule(id, { mode: 'now' }, SYSTEM_ACTOR);
      if (!scheduled.ok) throw new Error(scheduled.error);
      ids.push(id);
    }
    // Long enough to be signalled half-way with two tweets still to come, and not all the same length.
    const lengths = [...threadLength.values()];
    expect(Math.min(...lengths)).toBeGreaterThanOrEqual(4);
    expect(new Set(lengths).size).toBeGreaterThan(1);

    const first = spawnRegwire({ env, args: ['--role', 'worker'], name: 'worker A' });
    children.push(first);
    await first.ready;

    // Signal while the second thread is half posted: at least two of its tweets are still to come.
    const inFlight = await waitFor(
      () => {
        const threads = x.threads();
        const last = threads[threads.length - 1];
        if (threads.length < 2 || !last) return false;
        const storyId = storyOfRoot.get(last.root.text);
        const total = storyId ? (threadLength.get(storyId) ?? 0) : 0;
        const posted = 1 + last.replies.length;
        return storyId && posted >= 2 && posted <= total - 2
          ? { storyId, posted, total, chain: [last.root.id, ...last.replies.map((r) => r.id)] }
          : false;
      },
      { timeoutMs: 15_000, intervalMs: 5, what: 'the second thread to be half posted' },
    );
    const signalAt = first.signal('SIGTERM');
    const exit = await Promise.race([
      first.exited,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('worker A still running 15 s after SIGTERM')), 15_000),
      ),
    ]);
    const shutdownMs = exit.at - signalAt;

    // Exit 0, within the grace period, through the graceful path.
    expect(exit, first.output().slice(-2000)).toMatchObject({ code: 0, signal: null });
    expect(shutdownMs).toBeLessThan(GRACE_MS);
    const messages = first.lines().map((l) => l.msg);
    expect(messages).toContain('shutting down');
    expect(messages).toContain('stopped');
    expect(messages.join('\n')).not.toContain('closing workers hard');

    // Nothing left half-sent: no part of any story is still 'sending'.
    for (const id of ids) {
      for (const destination of ['telegram', 'x']) {
        const parts = await services.store.parts(id, destination);
        expect(
          parts.filter((p) => p.state === 'sending'),
          `${id} ${destination}`,
        ).toEqual([]);
      }
    }
    // The thread in flight was finished by worker A, every tweet replying to the one before.
    const xParts = await services.store.parts(inFlight.storyId, 'x');
    expect(xParts.map((p) => p.state)).toEqual(Array(inFlight.total).fill('sent'));
    expect(xParts.slice(0, inFlight.posted).map((p) => p.remoteId)).toEqual(inFlight.chain);

    // No new job after the signal: every tweet request that reached X after it is a reply inside the
    // thread in flight (no thread root), and at most one channel post (the one job Telegram had) arrived.
    const afterSignal = xLog.requests().filter((r) => r.method === 'POST' && r.at > signalAt);
    const inFlightTweetIds = new Set(xParts.map((p) => p.remoteId));
    for (const r of afterSignal) {
      const replyTo = (r.json as { reply?: { in_reply_to_tweet_id?: string } } | undefined)?.reply
        ?.in_reply_to_tweet_id;
      expect(replyTo, 'a tweet request after SIGTERM that starts a new thread').toBeDefined();
      expect(inFlightTweetIds.has(replyTo ?? ''), `reply to ${replyTo} outside the thread in flight`).toBe(
        true,
      );
    }
    expect(afterSignal.length).toBeLessThanOrEqual(inFlight.total - inFlight.posted);
    const tgAfterSignal = telegram.calls('sendMessage').filter((c) => c.at > signalAt);
    expect(tgAfterSignal.length).toBeLessThanOrEqual(1);
    // What worker A left on the channel is known, story by story: published exactly once as the ledger
    // says, or not started and absent (a clean stop leaves no outcome unknown).
    const afterA = await auditStories(services, ids, telegram, x);
    expect(afterA.filter((a) => a.telegramState === 'needs-attention')).toEqual([]);
    await expectTelegramOutcomes(afterA, []);
    expect(telegram.messages('@regwire_sandbox')).toHaveLength(
      afterA.filter((a) => a.telegramState === 'published').length,
    );
    // And work was left for the next worker: threads nobody started.
    const untouched = ids.filter((id) => !x.tweets().some((t) => storyOfRoot.get(t.text) === id));
    expect(untouched.length).toBeGreaterThanOrEqual(1);
    const tweetsByA = x.tweets().length;
    const postsByA = telegram.messages('@regwire_sandbox').length;

    // A new worker completes everything, exactly once.
    const second = spawnRegwire({ env, args: ['--role', 'worker'], name: 'worker B' });
    children.push(second);
    await second.ready;
    await waitFor(() => allSettled(services, ids), {
      timeoutMs: 20_000,
      intervalMs: 100,
      what: 'every story to settle after the restart',
    });
    const secondExit = await second.stop();
    expect(secondExit.code).toBe(0);

    await expectEachStoryPublishedOnce(services, ids, telegram, x, (id) => threadLength.get(id));
    const totalTweets = [...threadLength.values()].reduce((s, n) => s + n, 0);
    // Every tweet request made it exactly once: nothing was retried or re-sent across the restart.
    expect(xLog.requests().filter((r) => r.method === 'POST' && r.path === '/2/tweets')).toHaveLength(
      totalTweets,
    );
    expect(telegram.calls('sendMessage')).toHaveLength(ids.length);
    console.info(
      `graceful shutdown: SIGTERM with thread ${inFlight.posted}/${inFlight.total} posted; exit 0 after ${shutdownMs} ms ` +
        `(grace ${GRACE_MS} ms); worker A posted ${tweetsByA} tweets + ${postsByA} channel posts, ` +
        `${afterSignal.length} tweet(s) and ${tgAfterSignal.length} post(s) after the signal; worker B the rest`,
    );
  }, 60_000);
});
