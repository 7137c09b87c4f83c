import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AmendQueue } from '../../../jobs/amend-queue.js';
import { sweepAmendments } from '../../../jobs/maintenance.job.js';
import { publishJobId } from '../../../jobs/publish-queues.js';
import type { RedisStoryStore } from '../../../src/adapters/redis/redis-story-store.js';
import { AmendmentDesk, countAmendments } from '../../../src/app/amendment-desk.js';
import { amendmentDestination } from '../../../src/domain/amendment.js';
import { defaultRenderOptions } from '../../../src/format/render-options.js';
import type { TelegramPort } from '../../../src/ports/telegram-port.js';
import type { XPort } from '../../../src/ports/x-port.js';
import type { TelegramStandIn } from '../../../src/sandbox/standins/telegram/index.js';
import type { XStandIn } from '../../../src/sandbox/standins/x/index.js';
import { silentLogger } from '../../../src/util/logger.js';
import {
  AMEND_RIG_CHANNEL,
  AMEND_RIG_DESTINATIONS,
  type AmendWorkerRig,
  publishStory,
  startAmendWorkerRig,
} from '../../support/amend-worker-rig.js';

// Corrections and retractions on real Redis, through the amend queue's worker, the real adapters and the
// stand-ins: each step lands exactly once, a crash between the Telegram edit and the X reply included,
// and a 3-day-old channel post is edited into a notice, not deleted.

const CHANNEL = AMEND_RIG_CHANNEL;
const HOUR_MS = 3_600_000;
const editor = { kind: 'editor' as const, id: 1, name: '@ada' };
const destinations = AMEND_RIG_DESTINATIONS;

let rig: AmendWorkerRig;
let telegramStandIn: TelegramStandIn;
let xStandIn: XStandIn;
let telegram: TelegramPort;
let x: XPort;
let store: RedisStoryStore;
let queue: AmendQueue;
let desk: AmendmentDesk;

beforeAll(async () => {
  rig = await startAmendWorkerRig('amend');
  ({ telegramStandIn, xStandIn, telegram, x, store, queue } = rig);
  desk = new AmendmentDesk({
    store,
    scheduler: queue,
    destinations,
    options: defaultRenderOptions.amendments,
    now: () => new Date(),
  });
});

afterAll(() => rig?.close());

const startWorker = (): void => rig.startWorker();
const stopWorker = (): Promise<void> => rig.stopWorker();

/** Publishes a story for real (a channel post with a bold headline, a 3-tweet thread), recorded as published. */
const published = (id: string) =>
  publishStory(rig, id, { entities: [{ type: 'bold', offset: 0, length: 24 }] });

const post = (id: number) => telegramStandIn.messages(CHANNEL).find((m) => m.message_id === id);
const repliesTo = (id: string) =>
  xStandIn.tweets().filter((t) => t.in_reply_to_tweet_id === id && !t.deleted);

/** The correction replies under a thread's first tweet (its own second tweet replies there too). */
const corrections = (firstTweet: string | undefined) =>
  repliesTo(firstTweet ?? '').filter((t) => t.text.startsWith('Correction:'));

async function settled(storyId: string, amendmentId: string): Promise<void> {
  for (const d of ['telegram', 'x']) {
    const name = amendmentDestination(d, amendmentId);
    await expect
      .poll(async () => (await store.publications(storyId)).find((p) => p.destination === name)?.state, {
        timeout: 15_000,
        interval: 100,
      })
      .toBe('published');
  }
}

describe('corrections', () => {
  it('edits the channel post in place (entities recomputed, a Corrected line) and replies once under the first tweet', async () => {
    startWorker();
    const { messageId, tweets } = await published('cor00001');
    const result = await desk.correct('cor00001', 'the vote was 3-2, not 4-1', editor);
    expect(result.ok).toBe(true);
    await settled('cor00001', 'c1');

    const edited = post(messageId)!;
    expect(edited.history).toHaveLength(1);
    expect(edited.text).toMatch(/\n\nCorrected \d\d:\d\d UTC: the vote was 3-2, not 4-1$/);
    const line = edited.text!.slice(edited.text!.lastIndexOf('Corrected'));
    expect(edited.entities).toEqual([
      { type: 'bold', offset: 0, length: 24 },
      { type: 'italic', offset: edited.text!.length - line.length, length: line.length },
    ]);
    expect(repliesTo(tweets[0]!).map((t) => t.text)).toEqual([
      '2/ The vote was 3-2 cor00001',
      'Correction: the vote was 3-2, not 4-1',
    ]);
    expect((await store.history('cor00001')).at(-1)?.action).toMatch(/^correction c1 \(telegram, x\)/);
  });

  it('two editors correcting one story at the same moment: both corrections are kept, each with its own id', async () => {
    await stopWorker();
    await published('cor00006');
    const [a, b] = await Promise.all([
      desk.propose('cor00006', 'correction', 'the vote was 3-2', editor),
      desk.propose('cor00006', 'correction', 'the fund is spot', { ...editor, id: 2, name: '@bea' }),
    ]);
    if (!a.ok || !b.ok) throw new Error('a correction was refused');
    const ids = [a.value.view.amendment.id, b.value.view.amendment.id].sort();
    expect(ids).toEqual(['c1', 'c2']);
    const stored = (await store.get('cor00006'))?.amendments ?? [];
    expect(stored.map((x) => [x.id, x.text]).sort()).toEqual(
      [
        [a.value.view.amendment.id, 'the vote was 3-2'],
        [b.value.view.amendment.id, 'the fund is spot'],
      ].sort(),
    );
  });

  it('a second correction keeps the first one’s line; while the first is still going out it is refused', async () => {
    await stopWorker();
    const { messageId } = await published('cor00005');
    const first = await desk.correct('cor00005', 'the vote was 3-2', editor);
    if (!first.ok) throw new Error(first.error);
    // No worker yet: c1 is still scheduled, so a correction built now would drop its line.
    expect(await desk.correct('cor00005', 'the fund is spot', editor)).toEqual({
      ok: false,
      code: 'refused-state',
      error:
        'correction c1 of cor00005 is still going out on telegram (scheduled); correct again once it is out (see /status cor00005)',
    });
    startWorker();
    await settled('cor00005', 'c1');
    const second = await desk.correct('cor00005', 'the fund is spot', editor);
    if (!second.ok) throw new Error(second.error);
    await settled('cor00005', 'c2');
    const text = post(messageId)?.text ?? '';
    expect(text).toMatch(
      /^SEC approves ETF cor00005\n\nThe SEC approved it\.\n\nCorrected \d\d:\d\d UTC: the vote was 3-2\n\nCorrected \d\d:\d\d UTC: the fund is spot$/,
    );
    expect(post(messageId)?.history).toHaveLength(2);
  });

  it('a corrected story sent as a correction keeps the earlier corrections’ lines under its new text', async () => {
    startWorker();
    const { messageId } = await published('cor00016');
    const first = await desk.correct('cor00016', 'the vote was 3-2 (6)', editor);
    if (!first.ok) throw new Error(first.error);
    await settled('cor00016', 'c1');
    const rewritten = {
      method: 'sendMessage' as const,
      text: 'SEC approves spot ETF cor00016\n\nThe SEC approved two funds.',
      entities: [{ type: 'bold', offset: 0, length: 29 }],
    };
    const second = await desk.correct('cor00016', 'two funds, not one', editor, rewritten);
    if (!second.ok) throw new Error(second.error);
    await settled('cor00016', 'c2');
    expect(post(messageId)?.text).toMatch(
      /^SEC approves spot ETF cor00016\n\nThe SEC approved two funds\.\n\nCorrected \d\d:\d\d UTC: the vote was 3-2 \(6\)\n\nCorrected \d\d:\d\d UTC: two funds, not one$/,
    );
  });

  it('two corrections previewed on one post: the second confirmed is refused (it would drop the first’s line), nothing of it sent', async () => {
    startWorker();
    const { messageId } = await published('cor00017');
    const a = await desk.propose('cor00017', 'correction', 'the vote was 3-2 (7)', editor);
    const b = await desk.propose('cor00017', 'correction', 'the fund is spot (7)', editor);
    if (!a.ok || !b.ok) throw new Error('proposals refused');
    expect((await desk.confirm('cor00017', 'c1', editor)).ok).toBe(true);
    await settled('cor00017', 'c1');
    expect(await desk.confirm('cor00017', 'c2', editor)).toEqual({
      ok: false,
      code: 'refused-state',
      error:
        'correction c1 of cor00017 was confirmed after this one was prepared, and sending this one would take its "Corrected" line off the post: correct again to build on it (nothing of this one was sent)',
    });
    const publications = await store.publications('cor00017');
    expect(publications.some((p) => p.destination.endsWith('~c2'))).toBe(false);
    // Built again on the post as it is now, it keeps c1's line.
    const again = await desk.propose('cor00017', 'correction', 'the fund is spot (7)', editor);
    if (!again.ok) throw new Error(again.error);
    expect((await desk.confirm('cor00017', again.value.view.amendment.id, editor)).ok).toBe(true);
    await settled('cor00017', again.value.view.amendment.id);
    expect(post(messageId)?.text).toMatch(
      /the vote was 3-2 \(7\)\n\nCorrected \d\d:\d\d UTC: the fund is spot \(7\)$/,
    );
    expect(corrections((await store.parts('cor00017', 'x'))[0]?.remoteId)).toHaveLength(2);
  });

  it('a Confirm pressed again after the process stopped between confirming and scheduling sends it once', async () => {
    startWorker();
    const { messageId } = await published('cor00018');
    const proposal = await desk.propose('cor00018', 'correction', 'the vote was 3-2 (8)', editor);
    if (!proposal.ok) throw new Error(proposal.error);
    // What a process killed right after the confirmation's write leaves: confirmed, nothing scheduled.
    await store.update('cor00018', (r) => ({
      ...r,
      amendments: (r.amendments ?? []).map(({ proposed: _p, ...a }) => a),
    }));
    expect((await desk.confirm('cor00018', 'c1', editor)).ok).toBe(true);
    await settled('cor00018', 'c1');
    expect(await desk.confirm('cor00018', 'c1', editor)).toMatchObject({
      ok: false,
      error: 'correction c1 of cor00018 was confirmed already',
    });
    expect(post(messageId)?.history).toHaveLength(1);
    expect(corrections((await store.parts('cor00018', 'x'))[0]?.remoteId)).toHaveLength(1);
  });

  it('a crash between the Telegram edit and the X reply: both happen once', async () => {
    await stopWorker();
    const { messageId, tweets } = await published('cor00002');
    const result = await desk.correct('cor00002', 'the fund is spot, not futures', editor);
    if (!result.ok) throw new Error(result.error);
    const op = result.value.amendment.operations.find((o) => o.destination === 'telegram')!;
    const step = op.steps[0]!;
    if (step.kind !== 'telegram-edit') throw new Error('expected an edit');
    // The worker that died: it marked the edit `sending`, the edit landed, and it died before recording
    // it and before the X job ran.
    const telegramOp = amendmentDestination('telegram', 'c1');
    const past = new Date(Date.now() - 10_000).toISOString();
    await store.transition('cor00002', telegramOp, { from: ['scheduled'], to: 'publishing', at: past });
    await store.setPart('cor00002', telegramOp, {
      index: 0,
      state: 'sending',
      at: past,
      attempt: 'dead-worker',
    });
    expect(await telegram.edit(CHANNEL, messageId, step.edit)).toBe('edited');
    const editsBefore = telegramStandIn.calls('editMessageText').length;

    startWorker();
    await settled('cor00002', 'c1');
    // Reconciled by editing again ("not modified"): the edit landed once.
    expect(telegramStandIn.calls('editMessageText').length).toBe(editsBefore + 1);
    expect(post(messageId)?.history).toHaveLength(1);
    expect(post(messageId)?.text).toContain('Corrected');
    const parts = await store.parts('cor00002', telegramOp);
    expect(parts).toEqual([
      expect.objectContaining({ index: 0, state: 'sent', remoteId: `edited:${messageId}` }),
    ]);
    expect(repliesTo(tweets[0]!).filter((t) => t.text.startsWith('Correction:'))).toHaveLength(1);
  });

  it('a correction whose jobs were lost after it started: the sweep queues them again and each step lands once', async () => {
    await stopWorker();
    const { messageId, tweets } = await published('cor00004');
    const result = await desk.correct('cor00004', 'the approval covers two funds', editor);
    if (!result.ok) throw new Error(result.error);
    // Lost: e.g. Redis restored from a snapshot taken between the start and the jobs being queued.
    for (const d of ['telegram', 'x'])
      await (await queue.queue.getJob(publishJobId('cor00004', amendmentDestination(d, 'c1'))))?.remove();
    const names = ['telegram', 'x'].map((d) => `cor00004-${amendmentDestination(d, 'c1')}`);
    // Too early to call it lost: nothing is queued again yet.
    expect(await sweepAmendments(queue, { store, logger: silentLogger }, Date.now())).toEqual([]);
    startWorker();
    const later = Date.now() + 3 * 60_000;
    expect((await sweepAmendments(queue, { store, logger: silentLogger }, later)).sort()).toEqual(
      names.sort(),
    );
    await settled('cor00004', 'c1');
    expect(post(messageId)?.history).toHaveLength(1);
    expect(repliesTo(tweets[0]!).filter((t) => t.text.startsWith('Correction:'))).toHaveLength(1);
    // Settled: the next sweep drops them from its index and queues nothing.
    expect(await sweepAmendments(queue, { store, logger: silentLogger }, later)).toEqual([]);
    expect((await queue.pending()).filter((p) => p.storyId === 'cor00004')).toEqual([]);
  });

  it('a crash after the X reply went out but before it was recorded: it is found, not posted again', async () => {
    await stopWorker();
    const { tweets } = await published('cor00003');
    const result = await desk.correct('cor00003', 'SEC, not CFTC', editor);
    if (!result.ok) throw new Error(result.error);
    const xOp = amendmentDestination('x', 'c1');
    const past = new Date(Date.now() - 10_000).toISOString();
    await store.transition('cor00003', xOp, { from: ['scheduled'], to: 'publishing', at: past });
    await store.setPart('cor00003', xOp, { index: 0, state: 'sending', at: past, attempt: 'dead-worker' });
    await x.tweet('Correction: SEC, not CFTC', { replyToId: tweets[0]! });

    startWorker();
    await settled('cor00003', 'c1');
    expect(repliesTo(tweets[0]!).filter((t) => t.text.startsWith('Correction:'))).toHaveLength(1);
  });
  it('a correction whose X reply repeats one sent today is refused before anything is sent (X would refuse it as duplicate content)', async () => {
    startWorker();
    await published('cor00020');
    await published('cor00021');
    const first = await desk.correct('cor00020', 'the vote was 3-2 (20)', editor);
    if (!first.ok) throw new Error(first.error);
    await settled('cor00020', 'c1');
    const again = await desk.propose('cor00021', 'correction', 'the vote was  3-2 (20)', editor);
    expect(again).toEqual({
      ok: false,
      code: 'invalid-input',
      error: expect.stringMatching(
        /^x: "Correction: the vote was {2}3-2 \(20\)" is the same text as correction c1 of cor00020, posted \d\d:\d\d UTC; X refuses a post that repeats a recent one: reword it \(nothing was sent\)$/,
      ),
    });
    expect((await store.get('cor00021'))?.amendments ?? []).toEqual([]);
  });

  it('the digest counts a correction on the day it was confirmed, not the day it was previewed', async () => {
    startWorker();
    await published('cor00019');
    let nowMs = Date.parse('2026-12-03T23:50:00Z');
    const clocked = new AmendmentDesk({
      store,
      scheduler: queue,
      destinations,
      options: defaultRenderOptions.amendments,
      now: () => new Date(nowMs),
    });
    const proposal = await clocked.propose('cor00019', 'correction', 'the vote was 3-2 (19)', editor);
    if (!proposal.ok) throw new Error(proposal.error);
    nowMs = Date.parse('2026-12-04T00:10:00Z');
    expect((await clocked.confirm('cor00019', 'c1', editor)).ok).toBe(true);
    await settled('cor00019', 'c1');
    const day = (iso: string) =>
      countAmendments(store, ['cor00019'], Date.parse(iso), Date.parse(iso) + 86_400_000);
    expect(await day('2026-12-03T00:00:00Z')).toEqual({ corrections: 0, retractions: 0 });
    expect(await day('2026-12-04T00:00:00Z')).toEqual({ corrections: 1, retractions: 0 });
  });
});

describe('retractions', () => {
  it('deletes a post younger than 48 hours and the whole thread, and says so', async () => {
    const { messageId, tweets } = await published('ret00001');
    const result = await desk.retract('ret00001', 'the approval did not happen', editor);
    expect(result.ok).toBe(true);
    await settled('ret00001', 'r1');
    expect(post(messageId)?.deleted).toBe(true);
    expect(tweets.map((id) => xStandIn.tweets().find((t) => t.id === id)?.deleted)).toEqual([
      true,
      true,
      true,
    ]);
    const [view] = await desk.corrections(['ret00001']);
    expect(view?.progress.find((p) => p.destination === 'telegram')?.done).toEqual([`deleted:${messageId}`]);
  });

  it('a 3-day-old post is edited into a retraction notice, not deleted', async () => {
    const { messageId } = await published('ret00002');
    telegramStandIn.ageMessage(CHANNEL, messageId, 72 * HOUR_MS);
    const result = await desk.retract('ret00002', 'the approval did not happen', editor);
    expect(result.ok).toBe(true);
    await settled('ret00002', 'r1');
    const notice = post(messageId)!;
    expect(notice.deleted).toBe(false);
    expect(notice.text).toMatch(
      /^Retracted \d\d:\d\d UTC: the approval did not happen\n\nSEC approves ETF ret00002$/,
    );
    expect(telegramStandIn.calls('deleteMessage').length).toBeGreaterThan(0);
    const [view] = await desk.corrections(['ret00002']);
    expect(view?.progress.find((p) => p.destination === 'telegram')?.done).toEqual([`edited:${messageId}`]);
    // A retracted story is not retracted or corrected again.
    expect(await desk.retract('ret00002', 'again', editor)).toMatchObject({
      ok: false,
      code: 'refused-state',
    });
  });
});
