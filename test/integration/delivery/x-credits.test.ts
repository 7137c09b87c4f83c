import { describe, expect, it } from 'vitest';
import { redisKeys } from '../../../src/adapters/redis/redis-keys.js';
import { threadCost } from '../../../src/format/x-cost.js';
import {
  allSettled,
  auditStories,
  collectAlerts,
  deliveryStory,
  LIMITS_OFF,
  orphanedReplies,
  queueStories,
  SYSTEM_ACTOR,
} from '../../support/delivery-harness.js';
import { waitFor } from '../../support/wait-for.js';
import { useWorkersRigs, type WorkersRig } from '../../support/workers-rig.js';

const PROBE_MS = 1_000;

// X refusing for want of credits or by its reply rules, on real Redis against the stand-ins: the X queue
// waits (Telegram goes on), editors hear once, and the thread goes on from its first missing tweet.
describe('X out of credits, and replies X refuses', () => {
  const rigs = useWorkersRigs();

  async function rig(balanceUsd?: number): Promise<WorkersRig> {
    const r = await rigs.start({
      name: 'credits',
      delivery: { ...LIMITS_OFF, concurrency: 1, xBilling: { credits: { probeMs: PROBE_MS } } },
      ...(balanceUsd === undefined ? {} : { x: { billing: { balanceUsd } } }),
    });
    return r;
  }

  it('credits running out between tweets 2 and 3 pause X only; after a top-up the thread ends from tweet 3, once', async () => {
    // Two tweets without a link at $0.015 each use the balance up exactly; tweet 3 meets X's 402.
    const r = await rig(0.03);
    const heard = collectAlerts(r.app.services);
    const [first = '', second = ''] = await queueStories(r.app.services, 2, 'credits');

    await waitFor(() => heard.alerts.some((a) => a.kind === 'paused'), { what: 'the pause alert' });
    await waitFor(
      async () =>
        (await r.app.services.store.publications(second)).some(
          (p) => p.destination === 'telegram' && p.state === 'published',
        ),
      { what: 'Telegram to publish both stories meanwhile' },
    );
    expect(r.x.tweets()).toHaveLength(2);
    // Several probes later: still paused, still one alert, nothing failed, nothing sent twice.
    const refusedBefore = r.x.billing.state().charges.length;
    await new Promise((resolve) => setTimeout(resolve, 2.5 * PROBE_MS));
    expect(r.x.tweets()).toHaveLength(2);
    expect(r.x.billing.state().charges).toHaveLength(refusedBefore);
    expect(heard.alerts.filter((a) => a.kind === 'paused')).toHaveLength(1);
    expect(heard.alerts.filter((a) => a.kind !== 'paused')).toEqual([]);
    const paused = (await r.app.services.store.publications(first)).find((p) => p.destination === 'x');
    expect(paused?.state).toBe('publishing');
    // Tweets 1 and 2 are out and confirmed; tweet 3 was refused before X acted, so it is simply not sent.
    expect((await r.app.services.store.parts(first, 'x')).map((p) => p.state)).toEqual([
      'sent',
      'sent',
      'failed',
    ]);
    expect(await rigs.redis().get(redisKeys.creditHold(r.prefix, 'x'))).toMatch(/CreditsDepleted|credits/);

    r.x.billing.topUp(5);
    await waitFor(() => allSettled(r.app.services, [first, second]), {
      timeoutMs: 10_000,
      what: 'both stories to settle after the top-up',
    });
    const audits = await auditStories(r.app.services, [first, second], r.telegram, r.x);
    for (const a of audits) {
      expect(a).toMatchObject({
        xState: 'published',
        tweets: 4,
        chainComplete: true,
        ledgerMatches: true,
        telegramState: 'published',
        telegramPosts: 1,
      });
    }
    expect(orphanedReplies(r.x)).toEqual([]);
    expect(r.x.tweets()).toHaveLength(8);
    expect(await rigs.redis().get(redisKeys.creditHold(r.prefix, 'x'))).toBeNull();
    expect(heard.alerts.filter((a) => a.kind === 'paused')).toHaveLength(1);

    // What X billed for the posts is what the cost model says the threads cost.
    const creates = r.x.billing
      .state()
      .charges.filter((c) => c.kind === 'create' || c.kind === 'create-with-url');
    let expected = 0;
    for (const id of [first, second]) {
      const record = await r.app.services.store.get(id);
      expected += threadCost(record?.rendered.x ?? [], r.x.billing.state().pricing).totalUsd;
    }
    expect(creates.reduce((sum, c) => sum + c.usd, 0)).toBeCloseTo(expected, 9);
    heard.stop();
  }, 30_000);

  it('a reply X refuses by its reply rules stops the thread cleanly and goes to an editor', async () => {
    const r = await rig();
    const heard = collectAlerts(r.app.services);
    r.x.onEvent((e) => {
      // The first tweet of the thread will not take replies.
      if (e.type === 'tweet-created' && e.tweet.in_reply_to_tweet_id === undefined) {
        r.x.restrictReplies(e.tweet.id);
      }
    });
    const [id = ''] = await queueStories(r.app.services, 1, 'rules');
    await waitFor(() => allSettled(r.app.services, [id]), { what: 'the story to settle' });

    const pubs = await r.app.services.store.publications(id);
    expect(pubs.find((p) => p.destination === 'telegram')?.state).toBe('published');
    expect(pubs.find((p) => p.destination === 'x')).toMatchObject({
      state: 'failed',
      reason: expect.stringMatching(/Reply to this conversation is not allowed/),
    });
    expect(r.x.tweets()).toHaveLength(1);
    expect(orphanedReplies(r.x)).toEqual([]);
    const parts = await r.app.services.store.parts(id, 'x');
    expect(parts.map((p) => p.state)).toEqual(['sent', 'failed']);
    await waitFor(() => heard.alerts.length > 0, { what: 'the alert' });
    expect(heard.alerts).toEqual([
      expect.objectContaining({
        kind: 'failed',
        part: 1,
        message: expect.stringMatching(/thread stops before tweet 2/),
      }),
    ]);
    heard.stop();
  });

  it('a tweet X refuses for two cashtags stops the thread as a permanent failure, telling the editor what to change', async () => {
    const r = await rig();
    const heard = collectAlerts(r.app.services);
    const { desk, store } = r.app.services;
    const draft = await desk.createDraft(deliveryStory(1, 'cashtags'), SYSTEM_ACTOR);
    if (!draft.ok) throw new Error(draft.error);
    const id = draft.value.story.id;
    // A thread the formatter did not make (it keeps one $cashtag a post): tweet 2 names two.
    const record = await store.get(id);
    if (!record) throw new Error('no record');
    const x = record.rendered.x.map((p, i) => (i === 1 ? { text: `$BTC and $ETH: ${p.text}` } : p));
    await store.replace({ ...record, rendered: { ...record.rendered, x } });
    // The preview's pre-flight would have said so.
    expect(await desk.xPreflight({ ...record.rendered, x })).toEqual([
      expect.objectContaining({ kind: 'cashtags', post: 2 }),
    ]);
    await desk.schedule(id, { mode: 'now' }, SYSTEM_ACTOR);
    await waitFor(() => allSettled(r.app.services, [id]), { what: 'the story to settle' });

    const pubs = await store.publications(id);
    expect(pubs.find((p) => p.destination === 'telegram')?.state).toBe('published');
    expect(pubs.find((p) => p.destination === 'x')).toMatchObject({
      state: 'failed',
      reason: 'part 2: permanent: Posts are limited to a maximum of one cashtag.',
    });
    expect(r.x.tweets()).toHaveLength(1);
    expect((await store.parts(id, 'x')).map((p) => p.state)).toEqual(['sent', 'failed']);
    await waitFor(() => heard.alerts.length > 0, { what: 'the alert' });
    expect(heard.alerts).toEqual([
      expect.objectContaining({
        kind: 'failed',
        part: 1,
        message:
          'part 2 refused by x: Posts are limited to a maximum of one cashtag. X takes at most one $cashtag a post: ' +
          '/edit the story so this tweet has one (the preview’s pre-flight shows it), then Retry',
      }),
    ]);
    heard.stop();
  });

  it('a tweet that repeats one regwire sent today is flagged in the preview (X would refuse it as duplicate content)', async () => {
    const r = await rig();
    const { desk, store } = r.app.services;
    const [sentId = ''] = await queueStories(r.app.services, 1, 'dupsent');
    await waitFor(() => allSettled(r.app.services, [sentId]), { what: 'the first story to settle' });
    const sent = await store.get(sentId);
    const repeated = sent?.rendered.x[1]?.text;
    if (!repeated) throw new Error('the first story has no second tweet');

    const draft = await desk.createDraft(deliveryStory(2, 'dupnext'), SYSTEM_ACTOR);
    if (!draft.ok) throw new Error(draft.error);
    const record = await store.get(draft.value.story.id);
    if (!record) throw new Error('no record');
    const x = record.rendered.x.map((p, i) => (i === 2 ? { text: repeated } : p));
    expect(await desk.xPreflight({ ...record.rendered, x })).toEqual([
      expect.objectContaining({
        kind: 'duplicate',
        post: 3,
        message: expect.stringMatching(
          new RegExp(`^tweet 3 is the same text as tweet 2 of ${sentId}, sent \\d\\d:\\d\\d UTC`),
        ),
      }),
    ]);
    // The story already out is not a duplicate of itself.
    expect(await desk.xPreflight(sent!.rendered)).toEqual([]);
  });

  it('a tweet X refuses because it repeats another story’s is recorded as not posted, the thread stopped, the editor told which post it repeats', async () => {
    const r = await rig();
    const heard = collectAlerts(r.app.services);
    const { desk, store } = r.app.services;
    const [sentId = ''] = await queueStories(r.app.services, 1, 'dupfirst');
    await waitFor(() => allSettled(r.app.services, [sentId]), { what: 'the first story to settle' });
    const repeated = (await store.get(sentId))?.rendered.x[1]?.text;
    if (!repeated) throw new Error('the first story has no second tweet');

    // An automatic story (no preview to flag it) whose third tweet repeats the first story's second.
    const draft = await desk.createDraft(deliveryStory(2, 'dupsecond'), SYSTEM_ACTOR);
    if (!draft.ok) throw new Error(draft.error);
    const id = draft.value.story.id;
    const record = await store.get(id);
    if (!record) throw new Error('no record');
    const x = record.rendered.x.map((p, i) => (i === 2 ? { text: repeated } : p));
    await store.replace({ ...record, rendered: { ...record.rendered, x } });
    const tweetsBefore = r.x.tweets().length;
    await desk.schedule(id, { mode: 'now' }, SYSTEM_ACTOR);
    await waitFor(() => allSettled(r.app.services, [id]), { what: 'the story to settle' });

    expect((await store.publications(id)).find((p) => p.destination === 'x')).toMatchObject({
      state: 'failed',
      reason: expect.stringMatching(
        new RegExp(
          `^part 3: permanent: not posted: X refused it as duplicate content \\(it repeats tweet 2 of ${sentId}, sent`,
        ),
      ),
    });
    expect((await store.parts(id, 'x')).map((p) => p.state)).toEqual(['sent', 'sent', 'failed']);
    expect(r.x.tweets().length).toBe(tweetsBefore + 2);
    expect(orphanedReplies(r.x)).toEqual([]);
    await waitFor(() => heard.alerts.some((a) => a.storyId === id), { what: 'the alert' });
    expect(heard.alerts.filter((a) => a.storyId === id)).toEqual([
      expect.objectContaining({
        kind: 'failed',
        part: 2,
        message: expect.stringMatching(
          new RegExp(
            `^part 3 was not posted: X refused it as duplicate content, the same text as tweet 2 of ${sentId}`,
          ),
        ),
      }),
    ]);
    heard.stop();
  });
});
