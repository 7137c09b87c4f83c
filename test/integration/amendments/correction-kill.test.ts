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

// A regwire worker process is SIGKILLed while a confirmed correction goes out: after the channel post was
// edited, while the X correction reply is in flight. The stand-ins live in this process, so the reply
// lands although its sender is dead; a new worker finds it on the timeline and posts nothing again, and
// the edit is not made twice. Stalled-job recovery is shortened for the test (lock 2 s, checked every second).

const CHANNEL = TELEGRAM_SANDBOX_CHANNEL.id;

describe('a worker killed between a correction’s Telegram edit and its X reply', () => {
  let rig: AmendmentKillRig;
  beforeAll(async () => {
    rig = await startAmendmentKillRig('correct-kill');
  });
  afterAll(() => rig?.close());

  it('the edit is made once and the correction reply posted once, under the first tweet', async () => {
    const { telegram, x, stateOf } = rig;
    const { store, desk } = rig.services;
    let child: WorkerChild = await rig.startWorker();
    const { storyId, post, thread } = await rig.publishStory('correct-kill');
    const firstTweet = thread[0]!;

    // Slow tweets: the kill lands while the correction reply is in flight.
    x.faults.add({ method: 'POST /2/tweets', kind: 'latency', latencyMs: 1_500 });
    const proposed = await desk.proposeAmendment(
      storyId,
      { kind: 'correction', correction: { note: 'the fine was €2m, not €20m' } },
      EDITOR,
    );
    if (!proposed.ok) throw new Error(proposed.error);
    const confirmed = await desk.confirmAmendment(storyId, proposed.value.view.amendment.id, EDITOR);
    if (!confirmed.ok) throw new Error(confirmed.error);
    const telegramOp = amendmentDestination('telegram', 'c1');
    const xOp = amendmentDestination('x', 'c1');
    await waitFor(
      async () =>
        (await stateOf(storyId, telegramOp)) === 'published' &&
        (await store.parts(storyId, xOp)).some((p) => p.index === 0 && p.state === 'sending'),
      { what: 'the edit made and the X reply in flight', timeoutMs: 20_000, intervalMs: 5 },
    );
    await child.kill();
    expect((await store.parts(storyId, xOp)).find((p) => p.index === 0)?.state).toBe('sending');
    const editsBefore = telegram.calls('editMessageText').length;
    x.faults.clear();

    child = await rig.startWorker();
    await waitFor(async () => (await stateOf(storyId, xOp)) === 'published', {
      what: 'the X correction reply to be settled after the kill',
      timeoutMs: 30_000,
    });
    expect(await stateOf(storyId, telegramOp)).toBe('published');
    // The edit was recorded before the kill: the new worker does not make it again.
    expect(telegram.calls('editMessageText').length).toBe(editsBefore);
    const edited = telegram.messages(CHANNEL).find((m) => m.message_id === post!.message_id)!;
    expect(edited.history).toHaveLength(1);
    expect(edited.text).toMatch(/Corrected \d\d:\d\d UTC: the fine was €2m, not €20m$/);
    const replies = x.tweets().filter((t) => t.text.startsWith('Correction:'));
    expect(replies.map((t) => [t.text, t.in_reply_to_tweet_id])).toEqual([
      ['Correction: the fine was €2m, not €20m', firstTweet.id],
    ]);
  }, 60_000);
});
