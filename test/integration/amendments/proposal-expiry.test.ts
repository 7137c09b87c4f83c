import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweep } from '../../../jobs/maintenance.job.js';
import { PublishQueues } from '../../../jobs/publish-queues.js';
import { RedisPlanStore } from '../../../src/adapters/redis/redis-plan-store.js';
import { AmendmentDesk } from '../../../src/app/amendment-desk.js';
import { LiveStoryDesk } from '../../../src/app/live-story-desk.js';
import { expiredProposalRefusal } from '../../../src/domain/proposal-expiry.js';
import { defaultRenderOptions } from '../../../src/format/render-options.js';
import { silentLogger } from '../../../src/util/logger.js';
import {
  AMEND_RIG_CHANNEL,
  AMEND_RIG_DESTINATIONS,
  type AmendWorkerRig,
  publishStory,
  startAmendWorkerRig,
} from '../../support/amend-worker-rig.js';

// Previews nobody answered: the maintenance sweep discards a correction or retraction proposed
// `proposalTtlMs` ago and not confirmed or cancelled, on real Redis, by compare-and-set on the story record;
// nothing of it reaches the stand-ins, and a Confirm then, or at the same moment, never half-lands.

const HOUR_MS = 3_600_000;
const TTL_MS = 24 * HOUR_MS;
const editor = { kind: 'editor' as const, id: 1, name: '@ada' };

let rig: AmendWorkerRig;
let desk: AmendmentDesk;
let live: LiveStoryDesk;
let queues: PublishQueues;
let nowMs = Date.now();

beforeAll(async () => {
  rig = await startAmendWorkerRig('proposal-expiry');
  desk = new AmendmentDesk({
    store: rig.store,
    scheduler: rig.queue,
    destinations: AMEND_RIG_DESTINATIONS,
    options: defaultRenderOptions.amendments,
    now: () => new Date(nowMs),
  });
  live = new LiveStoryDesk({
    store: rig.store,
    scheduler: rig.queue,
    destinations: AMEND_RIG_DESTINATIONS,
    format: defaultRenderOptions,
    now: () => new Date(nowMs),
  });
  queues = new PublishQueues(rig.connection, rig.prefix, []);
});

afterAll(async () => {
  await queues?.close();
  await rig?.close();
});

/** The maintenance sweep as the maintenance job runs it, at `atMs`. */
const sweepAt = (atMs: number) =>
  sweep({
    store: rig.store,
    plans: new RedisPlanStore(rig.redis, rig.prefix),
    queues,
    amendments: rig.queue,
    logger: silentLogger,
    now: () => atMs,
    proposalTtlMs: TTL_MS,
  });

/** A story published for real on both stand-ins (a channel post, a 2-tweet thread), recorded as published. */
async function published(id: string): Promise<{ messageId: number; firstTweet: string }> {
  const { messageId, tweets } = await publishStory(rig, id, {
    thread: [`1/ SEC approves ETF ${id}`, `2/ The vote was 3-2 ${id}`],
    at: new Date(nowMs).toISOString(),
  });
  return { messageId, firstTweet: tweets[0]! };
}

/** What followers could see of amendments: channel edits and deletions, replies and deletions on X. */
function sentSince(messageId: number, firstTweet: string) {
  const channelPost = rig.telegramStandIn.messages(AMEND_RIG_CHANNEL).find((m) => m.message_id === messageId);
  const tweets = rig.xStandIn.tweets();
  return {
    edits: channelPost?.history.length ?? 0,
    postDeleted: channelPost?.deleted ?? true,
    corrections: tweets.filter(
      (t) => t.in_reply_to_tweet_id === firstTweet && t.text.startsWith('Correction'),
    ),
    tweetsDeleted: tweets.filter((t) => t.deleted).length,
  };
}

const amendment = async (storyId: string, id: string) =>
  (await rig.store.get(storyId))?.amendments?.find((a) => a.id === id);

describe('stale proposals', () => {
  it('a correction and a retraction previewed and left alone expire after 24 h, unsent, with a history line', async () => {
    nowMs = Date.now();
    const corrected = await published('pex00001');
    const retracted = await published('pex00002');
    const deletedBefore = rig.xStandIn.tweets().filter((t) => t.deleted).length;
    const proposedAt = nowMs;
    expect((await desk.propose('pex00001', 'correction', 'the vote was 3-2', editor)).ok).toBe(true);
    expect((await desk.propose('pex00002', 'retraction', 'the filing was withdrawn', editor)).ok).toBe(true);

    // A minute short of 24 h: still waiting for an editor.
    expect((await sweepAt(proposedAt + TTL_MS - 60_000)).expired).toEqual([]);
    expect(await amendment('pex00001', 'c1')).toMatchObject({ proposed: true });

    const swept = await sweepAt(proposedAt + TTL_MS + 30_000);
    expect(swept.expired.sort()).toEqual(['pex00001-c1', 'pex00002-r1']);
    const c1 = await amendment('pex00001', 'c1');
    expect(c1).toMatchObject({
      discarded: true,
      expiredAt: new Date(proposedAt + TTL_MS + 30_000).toISOString(),
    });
    expect(c1?.proposed).toBeUndefined();
    expect((await rig.store.history('pex00001')).at(-1)).toMatchObject({
      actor: { kind: 'system', name: 'sweep' },
      action: 'correction c1 expired unconfirmed after 24 h',
    });
    expect((await rig.store.history('pex00002')).at(-1)?.action).toBe(
      'retraction r1 expired unconfirmed after 24 h',
    );
    // Swept again: nothing more to do, and the stories are no longer looked at.
    expect((await sweepAt(proposedAt + TTL_MS + 90_000)).expired).toEqual([]);
    expect(await rig.store.proposalStories()).not.toContain('pex00001');

    // A Confirm afterwards is refused and sends nothing; the refusal an editor should read says why.
    nowMs = proposedAt + TTL_MS + 120_000;
    rig.startWorker();
    expect(await desk.confirm('pex00001', 'c1', editor)).toEqual({
      ok: false,
      code: 'refused-state',
      error:
        'correction c1 of pex00001 expired unconfirmed after 24 h: nothing was sent; preview it again to send it',
    });
    expect(await desk.confirm('pex00002', 'r1', editor)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^retraction r1 of pex00002 expired unconfirmed after 24 h/),
    });
    expect(expiredProposalRefusal('pex00001', c1!)).toBe(
      'correction c1 of pex00001 expired unconfirmed after 24 h: nothing was sent; preview it again to send it',
    );
    await rig.stopWorker();
    expect(sentSince(corrected.messageId, corrected.firstTweet)).toEqual({
      edits: 0,
      postDeleted: false,
      corrections: [],
      tweetsDeleted: deletedBefore,
    });
    expect(sentSince(retracted.messageId, retracted.firstTweet).postDeleted).toBe(false);
    expect((await rig.store.publications('pex00001')).map((p) => p.destination).sort()).toEqual([
      'telegram',
      'x',
    ]);
  });

  it('a live update previewed and never sent expires too; Send update then sends nothing', async () => {
    nowMs = Date.now();
    const { messageId } = await published('pex00003');
    const proposedAt = nowMs;
    expect((await live.proposeUpdate('pex00003', 'The SEC will hear the appeal in March.', editor)).ok).toBe(
      true,
    );
    expect((await sweepAt(proposedAt + TTL_MS)).expired).toEqual(['pex00003-u1']);
    expect((await rig.store.history('pex00003')).at(-1)?.action).toBe(
      'update u1 expired unconfirmed after 24 h',
    );
    nowMs = proposedAt + TTL_MS + 60_000;
    expect(await live.sendUpdate('pex00003', 'u1', editor)).toMatchObject({
      ok: false,
      error:
        'update u1 of pex00003 expired unconfirmed after 24 h: nothing was sent; preview it again to send it',
    });
    const replies = rig.telegramStandIn
      .messages(AMEND_RIG_CHANNEL)
      .filter((m) => m.reply_to_message_id === messageId);
    expect(replies).toEqual([]);
    expect((await rig.store.publications('pex00003')).some((p) => p.destination.includes('~u1'))).toBe(false);
  });

  it('a Confirm at the moment the proposal expires either wins whole or finds it expired', async () => {
    nowMs = Date.now();
    for (let n = 0; n < 6; n++) {
      const id = `pex1000${n}`;
      await published(id);
      const proposedAt = nowMs;
      expect((await desk.propose(id, 'correction', `the vote was 3-2 (${n})`, editor)).ok).toBe(true);
      nowMs = proposedAt + TTL_MS + 1_000;
      const [confirmed, swept] = await Promise.all([desk.confirm(id, 'c1', editor), sweepAt(nowMs)]);
      const c1 = await amendment(id, 'c1');
      const operations = (await rig.store.publications(id)).filter((p) => p.destination.includes('~c1'));
      if (confirmed.ok) {
        // Confirmed first: the proposal was no longer open when the sweep looked.
        expect(swept.expired).not.toContain(`${id}-c1`);
        expect(c1?.discarded).toBeUndefined();
        expect(c1?.expiredAt).toBeUndefined();
        expect(c1?.confirmedAt).toBeDefined();
        expect(operations.map((p) => p.destination).sort()).toEqual(['telegram~c1', 'x~c1']);
      } else {
        expect(swept.expired).toContain(`${id}-c1`);
        // The editor reads why, even when the expiry landed between the Confirm's read and its write.
        expect(confirmed.error).toMatch(new RegExp(`^correction c1 of ${id} expired unconfirmed after 24 h`));
        expect(c1).toMatchObject({ discarded: true });
        expect(c1?.confirmedAt).toBeUndefined();
        expect(operations).toEqual([]);
      }
      nowMs = Date.now();
    }
  });
});
