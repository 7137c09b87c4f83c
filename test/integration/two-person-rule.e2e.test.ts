import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deletePrefix, TEST_REDIS_URL, testRedis, uniquePrefix } from '../../harness/redis.js';
import { runCli } from '../../src/cli/run-cli.js';
import { TELEGRAM_SANDBOX_CHANNEL } from '../../src/sandbox/standins/telegram/index.js';
import { startXStandIn } from '../../src/sandbox/standins/x/index.js';
import { waitFor } from '../support/wait-for.js';
import {
  EDITOR_ID,
  type Harness,
  keyboardMessage,
  previewedStoryId,
  SECOND_EDITOR_ID,
  startHarness,
} from './bot/editor-bot-harness.js';

// The two-person rule cannot be bypassed: a market-moving story written by one editor is refused by every
// command and button that schedules (bot, CLI, a feed in auto mode through the desk) until a second editor
// approves it; its author cannot approve it.

const MARKET_MOVING = [
  'SEC approves spot bitcoin ETF',
  '',
  'The Securities and Exchange Commission approved the first spot bitcoin exchange-traded fund on Wednesday.',
  '',
  'https://example.com/sec-etf-two-person',
].join('\n');

let dir: string;
let harness: Harness;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'regwire-two-person-'));
  await cp('config', dir, { recursive: true });
  const file = path.join(dir, 'regwire.json');
  const config = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  await writeFile(file, JSON.stringify({ ...config, approval: { marketMoving: true } }));
  harness = await startHarness({ env: { REGWIRE_CONFIG_DIR: dir } });
});

afterAll(async () => {
  await harness?.close();
  await rm(dir, { recursive: true, force: true });
});

async function states(storyId: string): Promise<(string | undefined)[]> {
  return [await harness.stateOf(storyId, 'telegram'), await harness.stateOf(storyId, 'x')];
}

describe('the two-person rule', () => {
  it('refuses every way of scheduling until a second editor approves; the author cannot approve', async () => {
    const h = harness;
    const keyboard = keyboardMessage(await h.say(`/queue ${MARKET_MOVING}`, { expect: 3 }));
    const storyId = previewedStoryId(keyboard);

    for (const label of ['Post now', 'Breaking', 'Next slot']) {
      await h.press(keyboard, label);
      expect(await states(storyId), `after ${label}`).toEqual(['draft', 'draft']);
    }
    for (const command of [
      `/now ${storyId}`,
      `/schedule ${storyId} in 2h`,
      `/schedule ${storyId} tomorrow 09:00 x`,
    ]) {
      const [answer] = await h.say(command);
      expect(answer?.text, command).toContain("needs a second editor's approval");
      expect(await states(storyId), `after ${command}`).toEqual(['draft', 'draft']);
    }
    // The same refusal reaches a second editor who has not approved, the CLI's path and a feed's.
    const [second] = await h.say(`/now ${storyId}`, { fromId: SECOND_EDITOR_ID });
    expect(second?.text).toContain("needs a second editor's approval");
    const feed = await h.desk.schedule(storyId, { mode: 'next-slot' }, { kind: 'system', name: 'feed sec' });
    expect(feed).toMatchObject({ ok: false, code: 'needs-approval' });
    expect(await states(storyId)).toEqual(['draft', 'draft']);

    const [pending] = await h.say('/pending');
    expect(pending?.text).toContain(storyId);
    expect(pending?.text).toContain('market-moving ("approved")');

    const [self] = await h.say(`/approve ${storyId}`, { fromId: EDITOR_ID });
    expect(self?.text).toMatch(/^Not approved: .* wrote story/);
    const [stillHeld] = await h.say(`/now ${storyId}`);
    expect(stillHeld?.text).toContain("needs a second editor's approval");

    const [approved] = await h.say(`/approve ${storyId}`, { fromId: SECOND_EDITOR_ID });
    expect(approved?.text).toContain(`Approved ${storyId}`);
    const [pendingAfter] = await h.say('/pending');
    expect(pendingAfter?.text).toBe('Nothing waits for approval.');
    await h.say(`/now ${storyId}`);
    expect(await states(storyId)).toEqual(['scheduled', 'scheduled']);
    const view = await h.desk.view(storyId);
    expect(
      view.ok && view.value.history.some((e) => e.action === 'approved' && e.actor.id === SECOND_EDITOR_ID),
    ).toBe(true);
  });

  it('an edit after the approval needs a new one', async () => {
    const h = harness;
    const keyboard = keyboardMessage(
      await h.say(`/queue ${MARKET_MOVING.replace('two-person', 'edited')} (2)`, { expect: 3 }),
    );
    const storyId = previewedStoryId(keyboard);
    await h.say(`/approve ${storyId}`, { fromId: SECOND_EDITOR_ID });
    await h.say(`/edit ${storyId} title SEC approves two spot bitcoin ETFs`, { expect: 1 });
    const [answer] = await h.say(`/now ${storyId}`);
    expect(answer?.text).toContain("needs a second editor's approval");
  });

  it('regwire queue --now stores a market-moving story as a draft and refuses to schedule it', async () => {
    const file = path.join(dir, 'etf.json');
    await writeFile(
      file,
      JSON.stringify({
        title: 'SEC bans staking',
        body: 'The SEC bans staking programmes.',
        url: 'https://example.com/ban-1',
      }),
    );
    const prefix = uniquePrefix('two-person-cli');
    const err: string[] = [];
    const code = await runCli(['queue', file, '--now'], {
      out: () => undefined,
      err: (l) => err.push(l),
      env: {
        REDIS_URL: TEST_REDIS_URL,
        REGWIRE_QUEUE_PREFIX: prefix,
        REGWIRE_CONFIG_DIR: dir,
      },
    });
    const redis = testRedis();
    await deletePrefix(redis, prefix);
    redis.disconnect();
    expect(code).toBe(2);
    expect(err.join('\n')).toContain("needs a second editor's approval");
  });
});

describe("the two-person rule at the job's start", () => {
  it('a job that starts for a held story sends nothing and puts it back to draft', async () => {
    const xs = await startXStandIn();
    const h = await startHarness({ publishTo: { x: xs }, env: { REGWIRE_CONFIG_DIR: dir } });
    try {
      const keyboard = keyboardMessage(
        await h.say(`/queue ${MARKET_MOVING.replace('two-person', 'job-start')}`, { expect: 3 }),
      );
      const storyId = previewedStoryId(keyboard);
      // Scheduled around the desk (as a stray job or a bug would): the worker holds it.
      const at = new Date().toISOString();
      await h.services.store.transition(storyId, 'telegram', {
        from: ['draft'],
        to: 'scheduled',
        at,
        set: { dueAt: at },
      });
      await h.services.queues.schedule(storyId, 'telegram', Date.now());
      await waitFor(
        async () =>
          (await h.stateOf(storyId, 'telegram')) === 'draft' &&
          ((await h.services.queues.queue('telegram').getJobCounts('completed')).completed ?? 0) > 0,
        {
          what: 'the job to hold the story',
          timeoutMs: 15_000,
        },
      );
      expect(h.standIn.botReplies(TELEGRAM_SANDBOX_CHANNEL.id)).toEqual([]);
      expect(
        (await h.services.store.publications(storyId)).find((p) => p.destination === 'telegram')?.reason,
      ).toContain("needs a second editor's approval");
    } finally {
      await h.close();
      await xs.close();
    }
  });
});
