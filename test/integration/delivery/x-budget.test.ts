import { describe, expect, it } from 'vitest';
import { RedisSpendLedger } from '../../../src/adapters/redis/redis-spend-ledger.js';
import { startApp } from '../../../src/app/start-app.js';
import { addUsd, threadCost } from '../../../src/format/x-cost.js';
import { silentLogger } from '../../../src/util/logger.js';
import {
  allSettled,
  auditStories,
  collectAlerts,
  deliveryStory,
  LIMITS_OFF,
  queueStories,
  SYSTEM_ACTOR,
} from '../../support/delivery-harness.js';
import { waitFor } from '../../support/wait-for.js';
import { useWorkersRigs, type WorkersRig } from '../../support/workers-rig.js';

interface Rig extends WorkersRig {
  readonly spend: RedisSpendLedger;
}

// What regwire counts as spent on X, against what the stand-in billed at the same prices; and the budget.
describe('X spend and budget', () => {
  const rigs = useWorkersRigs();

  async function rig(xBilling: Record<string, unknown>, requestTimeoutMs = 1_000): Promise<Rig> {
    const r = await rigs.start({
      name: 'budget',
      delivery: { ...LIMITS_OFF, concurrency: 1, requestTimeoutMs, xBilling },
    });
    return { ...r, spend: new RedisSpendLedger(rigs.redis(), r.prefix) };
  }

  it('counts each thread at the price table, reconcile reads included, as the stand-in billed it', async () => {
    const r = await rig({}, 300);
    // Tweet 2 of the first story lands but its answer is lost: the reconcile reads the timeline.
    r.x.faults.add({ method: 'POST /2/tweets', kind: 'drop-after', times: 1, probability: 1 });
    const ids = await queueStories(r.app.services, 2, 'spend');
    await waitFor(() => allSettled(r.app.services, ids), { what: 'both stories to settle' });
    for (const a of await auditStories(r.app.services, ids, r.telegram, r.x)) {
      expect(a).toMatchObject({ xState: 'published', tweets: 4, chainComplete: true });
    }
    const billed = r.x.billing.state();
    const byKind = (kinds: readonly string[]) =>
      addUsd(...billed.charges.filter((c) => kinds.includes(c.kind)).map((c) => c.usd));
    let creates = 0;
    let reads = 0;
    for (const id of ids) {
      const record = await r.app.services.store.get(id);
      const story = await r.spend.ofStory(id, 'x');
      // Each story's posts cost what the cost model says its rendered thread costs.
      expect(addUsd(story.create ?? 0, story['create-with-url'] ?? 0)).toBe(
        threadCost(record?.rendered.x ?? [], billed.pricing).totalUsd,
      );
      creates = addUsd(creates, story.create ?? 0, story['create-with-url'] ?? 0);
      reads = addUsd(reads, story.read ?? 0);
    }
    expect(creates).toBe(byKind(['create', 'create-with-url']));
    // regwire counts every post a reconcile read; X bills each post once a UTC day: never less.
    expect(reads).toBeGreaterThan(0);
    expect(reads).toBeGreaterThanOrEqual(byKind(['owned-post-read']));
    const totals = await r.spend.totals('x', Date.now());
    expect(totals.dayUsd).toBe(addUsd(creates, reads));
    expect(totals.monthUsd).toBe(totals.dayUsd);
    const metrics = (await r.app.metrics.render()).body;
    const counted = (kind: string) =>
      Number(
        new RegExp(`regwire_x_spend_usd_total\\{destination="x",kind="${kind}"\\} (\\S+)`).exec(metrics)?.[1],
      );
    expect(addUsd(counted('create'), counted('create-with-url'))).toBe(creates);
    expect(counted('read')).toBeCloseTo(reads, 9);
  });

  it('counts a thread without its link at the plain create price, as the stand-in billed it', async () => {
    const r = await rig({});
    const { desk } = r.app.services;
    const draft = await desk.createDraft(deliveryStory(1, 'nolink'), SYSTEM_ACTOR);
    if (!draft.ok) throw new Error(draft.error);
    const id = draft.value.story.id;
    const none = await desk.setXLink(id, 'none', SYSTEM_ACTOR);
    if (!none.ok) throw new Error(none.error);
    await desk.schedule(id, { mode: 'now' }, SYSTEM_ACTOR);
    await waitFor(() => allSettled(r.app.services, [id]), { what: 'the story to go out' });
    const billed = r.x.billing.state();
    // Four tweets, none holding a URL: 4 × $0.015.
    expect(billed.charges.map((c) => [c.kind, c.usd])).toEqual(Array(4).fill(['create', 0.015]));
    expect(await r.spend.ofStory(id, 'x')).toEqual({ create: 0.06 });
    expect((await r.spend.totals('x', Date.now())).dayUsd).toBe(0.06);
  });

  it('holds a story that would go over the daily budget, with one alert; Retry posts it anyway', async () => {
    // A delivery story's thread: three plain tweets and one with the link, $0.245.
    const r = await rig({ budget: { dailyUsd: 0.3 } });
    const heard = collectAlerts(r.app.services);
    const ids = await queueStories(r.app.services, 2, 'budget');
    await waitFor(() => allSettled(r.app.services, ids), { what: 'both stories to settle' });
    // Whichever went first fits the budget; the other would take the day to $0.49 of $0.30.
    const states = await Promise.all(
      ids.map(async (id) => (await r.app.services.store.publications(id)).find((p) => p.destination === 'x')),
    );
    const second = ids[states.findIndex((p) => p?.state === 'needs-attention')] ?? '';
    expect(states.map((p) => p?.state).sort()).toEqual(['needs-attention', 'published']);
    const pubs = await r.app.services.store.publications(second);
    expect(pubs.find((p) => p.destination === 'telegram')?.state).toBe('published');
    expect(pubs.find((p) => p.destination === 'x')).toMatchObject({
      state: 'needs-attention',
      reason: expect.stringMatching(
        /^held: this story costs \$0\.245 on X and today's spend is \$0\.245 of the \$0\.300 daily budget/,
      ),
    });
    expect(r.x.tweets()).toHaveLength(4);
    expect((await r.spend.totals('x', Date.now())).dayUsd).toBe(0.245);
    await waitFor(() => heard.alerts.some((a) => a.kind === 'held'), { what: 'the hold alert' });
    expect(heard.alerts.filter((a) => a.storyId === second)).toEqual([
      expect.objectContaining({ kind: 'held', destination: 'x', part: 0 }),
    ]);

    // The alert's Retry: post it anyway (the budget is not asked again for this story).
    const retried = await r.app.services.desk.retry(second, SYSTEM_ACTOR, ['x']);
    expect(retried.ok).toBe(true);
    await waitFor(() => allSettled(r.app.services, [second]), { what: 'the held story to go out' });
    const [audit] = await auditStories(r.app.services, [second], r.telegram, r.x);
    expect(audit).toMatchObject({ xState: 'published', tweets: 4, chainComplete: true, ledgerMatches: true });
    expect((await r.spend.totals('x', Date.now())).dayUsd).toBe(0.49);
    // What /spend and /status show.
    const report = await r.app.services.desk.xSpend(second);
    expect(report.lines).toEqual([
      expect.objectContaining({
        destination: 'x',
        todayUsd: 0.49,
        budget: { dailyUsd: 0.3 },
        story: { totalUsd: 0.245, byKind: { create: 0.045, 'create-with-url': 0.2 } },
      }),
    ]);
    heard.stop();
  });

  it('shows what is left of the daily and monthly budget on /metrics', async () => {
    const r = await rig({ budget: { dailyUsd: 0.3, monthlyUsd: 10 } });
    // The page and its /metrics in a process of their own, as deployed: the figures come from Redis.
    const web = await startApp(r.config, silentLogger, {
      roles: { workers: false, web: true, maintenance: false },
    });
    rigs.closeFirst(() => web.close());
    const left = async () => {
      const body = await (await fetch(`${web.web?.url}metrics`)).text();
      const gauge = (period: string) =>
        Number(
          new RegExp(`regwire_x_budget_left_usd\\{destination="x",period="${period}"\\} (\\S+)`).exec(
            body,
          )?.[1],
        );
      return { daily: gauge('daily'), monthly: gauge('monthly') };
    };
    expect(await left()).toEqual({ daily: 0.3, monthly: 10 });
    const ids = await queueStories(r.app.services, 1, 'gauge');
    await waitFor(() => allSettled(r.app.services, ids), { what: 'the story to go out' });
    // One 4-tweet thread with its link: $0.245.
    expect(await left()).toEqual({ daily: 0.055, monthly: 9.755 });
  });
});
