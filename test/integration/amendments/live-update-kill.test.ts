import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerChild } from '../../../harness/delivery-child.js';
import { amendmentDestination } from '../../../src/domain/amendment.js';
import { TELEGRAM_SANDBOX_CHANNEL } from '../../../src/sandbox/standins/telegram/index.js';
import {
  type AmendmentKillRig,
  KILL_EDITOR as EDITOR,
  startAmendmentKillRig,
} from '../../support/amendment-kill-rig.js';
import { waitFor } from '../../support/wait-for.js';

// A regwire worker process is SIGKILLed while a live story's update goes out: after its channel reply,
// while the X continuation's first tweet is in flight. The stand-ins live in this process, so what the
// platforms received survives the kill; a new worker finishes the update, each post exactly once.
// Stalled-job recovery is shortened for the test (lock 2 s, checked every second).

const CHANNEL = TELEGRAM_SANDBOX_CHANNEL.id;
const UPDATE = [
  'The issuers asked for ninety days instead of sixty, saying the documents requested span six years of custody records held with four different banks.',
  '',
  'The authority said it would answer the request within a week and that the review itself is not paused while it decides.',
].join('\n');

describe('a worker killed between an update’s channel reply and its X continuation', () => {
  let rig: AmendmentKillRig;
  beforeAll(async () => {
    rig = await startAmendmentKillRig('live-kill');
  });
  afterAll(() => rig?.close());

  it('the new worker sends neither again: one channel reply, each tweet of the continuation once, in a chain', async () => {
    const { telegram, x, stateOf } = rig;
    const { store, desk } = rig.services;
    let child: WorkerChild = await rig.startWorker();
    const { storyId, post, thread } = await rig.publishStory('live-kill');
    const threadEnd = thread.at(-1)!;

    // Slow tweets: the kill lands while the continuation's first tweet is in flight.
    x.faults.add({ method: 'POST /2/tweets', kind: 'latency', latencyMs: 1_500 });
    const proposed = await desk.proposeUpdate(storyId, UPDATE, EDITOR);
    if (!proposed.ok) throw new Error(proposed.error);
    const sent = await desk.sendUpdate(storyId, proposed.value.amendment.id, EDITOR);
    if (!sent.ok) throw new Error(sent.error);
    const xSteps = sent.value.amendment.operations.find((o) => o.destination === 'x')!.steps;
    const texts = xSteps.map((s) => (s.kind === 'x-reply' || s.kind === 'x-continue' ? s.text : ''));
    expect(texts.length).toBeGreaterThan(1);
    const telegramOp = amendmentDestination('telegram', 'u1');
    const xOp = amendmentDestination('x', 'u1');
    await waitFor(
      async () =>
        (await stateOf(storyId, telegramOp)) === 'published' &&
        (await store.parts(storyId, xOp)).some((p) => p.index === 0 && p.state === 'sending'),
      { what: 'the channel reply out and the first tweet in flight', timeoutMs: 20_000, intervalMs: 5 },
    );
    await child.kill();
    expect((await store.parts(storyId, xOp)).find((p) => p.index === 0)?.state).toBe('sending');
    x.faults.clear();

    child = await rig.startWorker();
    await waitFor(async () => (await stateOf(storyId, xOp)) === 'published', {
      what: 'the X continuation to finish after the kill',
      timeoutMs: 30_000,
    });
    expect(await stateOf(storyId, telegramOp)).toBe('published');
    expect(
      telegram.botReplies(CHANNEL).filter((m) => m.reply_to_message_id === post!.message_id),
    ).toHaveLength(1);
    const continuation = x.tweets().filter((t) => texts.includes(t.text));
    expect(continuation.map((t) => t.text)).toEqual(texts);
    expect(continuation.map((t) => t.in_reply_to_tweet_id)).toEqual([
      threadEnd.id,
      ...continuation.slice(0, -1).map((t) => t.id),
    ]);
  }, 60_000);
});
