import { describe, expect, it } from 'vitest';
import { publishJobId } from '../../../jobs/publish-queues.js';
import { redisKeys } from '../../../src/adapters/redis/redis-keys.js';
import { createDeskServices } from '../../../src/app/desk-services.js';
import { startApp } from '../../../src/app/start-app.js';
import type { Actor } from '../../../src/domain/history.js';
import type { XStandInOptions } from '../../../src/sandbox/standins/x/index.js';
import { silentLogger } from '../../../src/util/logger.js';
import {
  allSettled,
  auditStories,
  type DeliveryTestConfig,
  deliveryStory,
  LIMITS_OFF,
  orphanedReplies,
  queueStories,
} from '../../support/delivery-harness.js';
import { waitFor } from '../../support/wait-for.js';
import { useWorkersRigs, type WorkersRig } from '../../support/workers-rig.js';
import { standInClient } from '../../support/x-fixtures.js';

const EDITOR: Actor = { kind: 'editor', id: 42, name: '@ed' };
const WORKERS_ONLY = { workers: true, web: false, maintenance: false } as const;

interface Rig extends WorkersRig {
  /** When each tweet was created (ms), by id. */
  readonly tweetTimes: Map<string, number>;
}

// What an editor decides (mark as posted, new thread, cancel, reschedule, edit) is what happens, even
// while a publication is running, parked or stuck on a part of unknown outcome.
describe('editor decisions on publications under way', () => {
  const rigs = useWorkersRigs();

  async function rig(
    delivery: DeliveryTestConfig,
    opts: { x?: XStandInOptions; workers?: boolean } = {},
  ): Promise<Rig> {
    const r = await rigs.start({
      name: 'decide',
      delivery,
      ...(opts.x ? { x: opts.x } : {}),
      ...(opts.workers === false ? { workers: false } : {}),
    });
    const tweetTimes = new Map<string, number>();
    r.x.onEvent((e) => {
      if (e.type === 'tweet-created') tweetTimes.set(e.tweet.id, Date.now());
    });
    return { ...r, tweetTimes };
  }

  const publication = async (r: Rig, id: string, destination: string) =>
    (await r.app.services.store.publications(id)).find((p) => p.destination === destination);

  it('Mark as posted settles a Telegram post of unknown outcome: it is not sent again and the publication completes', async () => {
    const r = await rig({ ...LIMITS_OFF, only: ['telegram'] });
    r.telegram.faults.add({ method: 'sendMessage', kind: 'drop-after', times: 1 });
    const [id = ''] = await queueStories(r.app.services, 1, 'mark-tg');
    await waitFor(async () => (await publication(r, id, 'telegram'))?.state === 'needs-attention', {
      what: 'the unknown outcome to reach an editor',
    });
    const marked = await r.app.services.desk.markPosted(
      id,
      'telegram',
      EDITOR,
      'https://t.me/regwire_sandbox/1',
    );
    expect(marked.ok).toBe(true);
    await waitFor(async () => (await publication(r, id, 'telegram'))?.state === 'published', {
      what: 'the confirmed publication to complete',
    });
    expect(r.telegram.messages('@regwire_sandbox')).toHaveLength(1);
    expect((await r.app.services.store.parts(id, 'telegram'))[0]).toMatchObject({
      state: 'sent',
      remoteId: '1',
      confirmedBy: '@ed',
    });
  });

  it('a 5xx after Telegram posted is never resent; on X the tweet is found and the thread goes on', async () => {
    const r = await rig(LIMITS_OFF);
    r.telegram.faults.add({ method: 'sendMessage', kind: 'http-502-after', times: 1 });
    r.x.faults.add({ method: 'POST /2/tweets', kind: 'http-503-after', times: 1 });
    const [id = ''] = await queueStories(r.app.services, 1, 'after-5xx');
    await waitFor(() => allSettled(r.app.services, [id]), { what: 'both publications to settle' });
    const [audit] = await auditStories(r.app.services, [id], r.telegram, r.x);
    expect(audit).toMatchObject({
      telegramPosts: 1,
      telegramState: 'needs-attention',
      telegramUnknownParts: 1,
      xState: 'published',
      tweets: 4,
      chainComplete: true,
      ledgerMatches: true,
    });
  });

  it('X text comes back escaped and with t.co links: a lost answer is still recognised, nothing posted twice', async () => {
    const r = await rig(LIMITS_OFF, { x: { textFidelity: true } });
    const draft = await r.app.services.desk.createDraft(
      {
        title: 'SEC & CFTC: <joint> rule on example.com-style "DeFi" front ends',
        body: 'Both agencies say front ends like example.org & others must register. Details at sec.gov today.',
        url: 'https://news.example.com/joint-rule',
      },
      EDITOR,
    );
    if (!draft.ok) throw new Error(draft.error);
    const id = draft.value.story.id;
    r.x.faults.add({ method: 'POST /2/tweets', kind: 'timeout-after', times: 1 });
    await r.app.services.desk.schedule(id, { mode: 'now' }, EDITOR, ['x']);
    await waitFor(() => allSettled(r.app.services, [id], ['x']), { what: 'the thread to settle' });
    expect((await publication(r, id, 'x'))?.state).toBe('published');
    const texts = draft.value.rendered.x.map((p) => p.text);
    expect(r.x.tweets().map((t) => t.text)).toEqual(texts);
    expect(orphanedReplies(r.x)).toEqual([]);
  });

  it('a tweet refused as a duplicate of a post elsewhere stops for an editor; Mark as posted needs its link, then the thread replies to it', async () => {
    const r = await rig(LIMITS_OFF);
    const draft = await r.app.services.desk.createDraft(deliveryStory(1, 'dup-mid'), EDITOR);
    if (!draft.ok) throw new Error(draft.error);
    const id = draft.value.story.id;
    // Tweet 2's text is already on the account, but not as a reply to tweet 1: X refuses it, and the
    // timeline shows no copy in the right place.
    const elsewhere = await standInClient(r.x).v2.tweet(draft.value.rendered.x[1]?.text ?? '');
    await r.app.services.desk.schedule(id, { mode: 'now' }, EDITOR, ['x']);
    await waitFor(async () => (await publication(r, id, 'x'))?.state === 'needs-attention', {
      what: 'the refused tweet to reach an editor',
    });
    const withoutLink = await r.app.services.desk.markPosted(id, 'x', EDITOR);
    expect(withoutLink).toMatchObject({
      ok: false,
      error: expect.stringContaining('give the link of tweet 2'),
    });
    const retried = await r.app.services.desk.retry(id, EDITOR);
    expect(retried.ok).toBe(true);
    // Retry looks first, then tries again, and X refuses again: still an editor's decision, nothing posted.
    await waitFor(async () => (await publication(r, id, 'x'))?.state === 'needs-attention', {
      what: 'the retry to come back to an editor',
    });
    const before = r.x.tweets().length;
    const marked = await r.app.services.desk.markPosted(
      id,
      'x',
      EDITOR,
      `https://x.com/regwire_sandbox/status/${elsewhere.data.id}?s=20`,
    );
    expect(marked.ok).toBe(true);
    await waitFor(async () => (await publication(r, id, 'x'))?.state === 'published', {
      what: 'the thread to finish from the given tweet',
    });
    const added = r.x.tweets().slice(before);
    expect(added.map((t) => t.in_reply_to_tweet_id)).toEqual([elsewhere.data.id, added[0]?.id]);
    expect((await r.app.services.store.parts(id, 'x')).map((p) => p.remoteId)).toEqual([
      r.x.tweets()[1]?.id,
      elsewhere.data.id,
      added[0]?.id,
      added[1]?.id,
    ]);
  });

  it('a thread whose parent was deleted goes on as a new thread when an editor says so', async () => {
    const r = await rig({
      ...LIMITS_OFF,
      only: ['x'],
      xRate: { windowMs: 60_000, perWindow: 1_000, perDay: 1_000, minIntervalMs: 400 },
    });
    const client = standInClient(r.x);
    // Someone deletes the first tweet as soon as it is up.
    const stop = r.x.onEvent((e) => {
      if (e.type === 'tweet-created' && e.tweet.in_reply_to_tweet_id === undefined) {
        stop();
        void client.v2.deleteTweet(e.tweet.id);
      }
    });
    const [id = ''] = await queueStories(r.app.services, 1, 'parent-gone', ['x']);
    await waitFor(async () => (await publication(r, id, 'x'))?.state === 'failed', {
      what: 'the refused reply to fail the publication',
    });
    expect((await publication(r, id, 'x'))?.reason).toMatch(/deleted or not visible/);
    expect((await r.app.services.desk.newThread(id, 'x', EDITOR)).ok).toBe(true);
    await waitFor(async () => (await publication(r, id, 'x'))?.state === 'published', {
      what: 'the rest to go out as a new thread',
    });
    const [, second, third, fourth] = r.x.tweets();
    expect(second?.in_reply_to_tweet_id).toBeUndefined();
    expect(third?.in_reply_to_tweet_id).toBe(second?.id);
    expect(fourth?.in_reply_to_tweet_id).toBe(third?.id);
    expect(r.x.tweets()).toHaveLength(4);
  });

  it('cancel during a running thread stops it before its next tweet and says what is out', async () => {
    const r = await rig({
      ...LIMITS_OFF,
      only: ['x'],
      xRate: { windowMs: 60_000, perWindow: 1_000, perDay: 1_000, minIntervalMs: 600 },
    });
    const [id = ''] = await queueStories(r.app.services, 1, 'cancel-running', ['x']);
    await waitFor(() => r.x.tweets().length >= 1, { what: 'the first tweet' });
    const answer = await r.app.services.desk.cancel(id, EDITOR);
    const ackAt = Date.now();
    expect(answer.ok).toBe(true);
    const said = answer.ok ? (answer.value.history.at(-1)?.action ?? '') : '';
    expect(said).toMatch(/tweet 1.* already out \(stays\).*nothing more will be sent/);
    // Long enough for the rest of the thread to have gone out three times over.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const inFlight = /tweet (\d+) was being sent/.test(said) ? 1 : 0;
    const after = [...r.tweetTimes.values()].filter((t) => t > ackAt);
    expect(after.length).toBeLessThanOrEqual(inFlight);
    expect(r.x.tweets().length).toBeLessThan(4);
    expect((await publication(r, id, 'x'))?.state).toBe('cancelled');
  });

  it('cancel of a thread parked on a pacing wait removes nothing silently: it stays stopped', async () => {
    const r = await rig({
      ...LIMITS_OFF,
      only: ['x'],
      // Longer than a worker sleeps inline: the job goes back to delayed between tweets.
      xRate: { windowMs: 60_000, perWindow: 1_000, perDay: 1_000, minIntervalMs: 2_500 },
    });
    const [id = ''] = await queueStories(r.app.services, 1, 'cancel-parked', ['x']);
    await waitFor(() => r.x.tweets().length >= 1, { what: 'the first tweet' });
    await waitFor(
      async () => (await r.app.services.queues.queue('x').getJob(publishJobId(id, 'x')))?.isDelayed(),
      {
        what: 'the job to park on the pacing wait',
      },
    );
    const answer = await r.app.services.desk.cancel(id, EDITOR);
    expect(answer.ok).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    expect(r.x.tweets()).toHaveLength(1);
    expect((await publication(r, id, 'x'))?.state).toBe('cancelled');
  });

  it('rescheduling a publication that is due and waiting for a worker moves it: it does not go out early', async () => {
    // No workers yet: the job sits in `waiting` once due.
    const r = await rig(LIMITS_OFF, { workers: false });
    const [id = ''] = await queueStories(r.app.services, 1, 'hold', ['x']);
    const job = await r.app.services.queues.queue('x').getJob(publishJobId(id, 'x'));
    expect(await job?.getState()).toBe('waiting');
    const later = Date.now() + 3_600_000;
    const moved = await r.app.services.desk.schedule(id, { mode: 'at', atMs: later }, EDITOR, ['x']);
    expect(moved.ok).toBe(true);
    const workers = await startApp(r.config, silentLogger, { roles: WORKERS_ONLY, shutdownGraceMs: 500 });
    rigs.closeFirst(() => workers.close());
    await waitFor(
      async () => (await r.app.services.queues.queue('x').getJob(publishJobId(id, 'x')))?.isDelayed(),
      { what: 'the job to wait for its new time' },
    );
    expect(r.x.tweets()).toEqual([]);
    expect(await publication(r, id, 'x')).toMatchObject({
      state: 'scheduled',
      dueAt: new Date(later).toISOString(),
    });
  });

  it('an edit is refused while a part is of unknown outcome (it would mix versions)', async () => {
    const r = await rig({ ...LIMITS_OFF, only: ['telegram'] });
    r.telegram.faults.add({ method: 'sendMessage', kind: 'drop-after', times: 1 });
    const [id = ''] = await queueStories(r.app.services, 1, 'edit-unknown');
    await waitFor(async () => (await publication(r, id, 'telegram'))?.state === 'needs-attention', {
      what: 'the unknown outcome',
    });
    const edited = await r.app.services.desk.edit(
      id,
      { title: 'A corrected headline for the review' },
      EDITOR,
    );
    expect(edited).toMatchObject({ ok: false, error: expect.stringContaining('unknown outcome') });
    expect((await r.app.services.store.get(id))?.story.title).toContain('Regulator 1');
  });

  it('a part another attempt may still be sending is waited out, not reconciled or resent at once', async () => {
    const r = await rig({ ...LIMITS_OFF, only: ['x'] }, { workers: false });
    const services = createDeskServices(r.config, rigs.redis(), silentLogger);
    const draft = await services.desk.createDraft(deliveryStory(1, 'in-flight'), EDITOR);
    if (!draft.ok) throw new Error(draft.error);
    const id = draft.value.story.id;
    // As if a stalled worker marked tweet 1 a moment ago and may still be waiting for X's answer.
    await services.store.setPart(id, 'x', {
      index: 0,
      state: 'sending',
      at: new Date().toISOString(),
      attempt: 'other-worker',
    });
    const requests: string[] = [];
    r.x.onEvent((e) => {
      if (e.type === 'request') requests.push(e.route);
    });
    await services.desk.schedule(id, { mode: 'now' }, EDITOR, ['x']);
    const workers = await startApp(r.config, silentLogger, { roles: WORKERS_ONLY, shutdownGraceMs: 500 });
    rigs.closeFirst(() => workers.close());
    await waitFor(async () => (await publication(r, id, 'x'))?.state === 'publishing', {
      what: 'the job to start',
    });
    await waitFor(
      async () => (await r.app.services.queues.queue('x').getJob(publishJobId(id, 'x')))?.isDelayed(),
      { what: 'the job to wait the mark out' },
    );
    expect(requests).toEqual([]);
    expect(r.x.tweets()).toEqual([]);
  });

  it('a lease lost while the job still runs (a failover dropped it) resumes shortly, with nothing sent twice', async () => {
    const r = await rig({
      ...LIMITS_OFF,
      only: ['x'],
      xRate: { windowMs: 60_000, perWindow: 1_000, perDay: 1_000, minIntervalMs: 400 },
    });
    const [id = ''] = await queueStories(r.app.services, 1, 'lease-lost', ['x']);
    await waitFor(() => r.x.tweets().length >= 1, { what: 'the first tweet' });
    // As if the lease key was lost with an old primary: the run's next step finds it gone.
    await rigs.redis().del(redisKeys.lease(r.prefix, id, 'x'));
    await waitFor(async () => (await publication(r, id, 'x'))?.state === 'published', {
      what: 'the thread to finish after the lease came back',
    });
    const [audit] = await auditStories(r.app.services, [id], undefined, r.x);
    expect(audit).toMatchObject({ chainComplete: true, ledgerMatches: true, tweets: 4 });
  });
});
