import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deletePrefix, testRedis, uniquePrefix } from '../../../harness/redis.js';
import { RedisCurrentDrafts } from '../../../src/adapters/redis/redis-current-drafts.js';
import {
  EDITOR_ID,
  type Harness,
  keyboardMessage,
  previewedStoryId,
  SECOND_EDITOR_ID,
  startHarness,
} from './editor-bot-harness.js';

// The harness's desk clock starts on Thu 28 Nov 2030, 10:00 in Berlin.
const TOMORROW_9 = Date.parse('2030-11-29T08:00:00Z');
const TODAY_21 = Date.parse('2030-11-28T20:00:00Z');

const article = (slug: string, title: string) =>
  [
    title,
    '',
    'The regulator published the rules after a consultation that ran for three months, with a transition of a year.',
    '',
    `https://example.com/${slug}`,
  ].join('\n');

let redis: Redis;
const prefix = uniquePrefix('drafts');
let harness: Harness | undefined;

beforeAll(() => {
  redis = testRedis();
});

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

afterAll(async () => {
  await deletePrefix(redis, prefix);
  redis.disconnect();
});

/** The real bot on the real desk, its current drafts in Redis (as the app wires them). */
function start(): Promise<Harness> {
  return startHarness({ bot: { currentDrafts: new RedisCurrentDrafts(redis, prefix) } });
}

async function queue(h: Harness, slug: string, title: string, chatId?: number): Promise<string> {
  const replies = await h.say(`/queue ${article(slug, title)}`, {
    expect: 3,
    ...(chatId !== undefined ? { chatId } : {}),
  });
  return previewedStoryId(keyboardMessage(replies));
}

async function atOf(h: Harness, storyId: string): Promise<Record<string, number | undefined>> {
  const view = await h.desk.view(storyId);
  if (!view.ok) throw new Error(view.error);
  return Object.fromEntries(view.value.destinations.map((d) => [d.destination, d.atMs]));
}

describe('editor bot: commands without an id act on the draft previewed last in the chat', () => {
  it('/schedule tomorrow 9 schedules that draft for 09:00 tomorrow and names it', async () => {
    harness = await start();
    const h = harness;
    const first = await queue(h, 'first', 'SEC approves the first spot ether fund');
    const second = await queue(h, 'second', 'ESMA publishes the MiCA register of issuers');
    const [answer] = await h.say('/schedule tomorrow 9');
    expect(answer?.text).toMatch(
      new RegExp(
        `^Scheduled ${second} "ESMA publishes the MiCA register of issuers" \\(previewed last here\\):`,
      ),
    );
    expect(await atOf(h, second)).toEqual({ telegram: TOMORROW_9, x: TOMORROW_9 });
    // The earlier draft is untouched.
    expect(await atOf(h, first)).toEqual({ telegram: undefined, x: undefined });
  });

  it('reads times as people write them: 21h, 9am with a destination, /embargo tomorrow 9am', async () => {
    harness = await start();
    const h = harness;
    const id = await queue(h, 'times', 'Hong Kong licenses two more exchanges');
    const [at21] = await h.say('/schedule 21h');
    expect(at21?.text).toContain(`Scheduled ${id} "Hong Kong licenses two more exchanges"`);
    expect(await atOf(h, id)).toEqual({ telegram: TODAY_21, x: TODAY_21 });
    await h.say('/schedule x tomorrow 9am');
    expect(await atOf(h, id)).toEqual({ telegram: TODAY_21, x: TOMORROW_9 });
    // A "moved later than asked" alert may come too (the embargo moves the 21:00 post).
    const embargo = (await h.say('/embargo tomorrow 9am')).find((m) => m.text?.startsWith('Embargoed'));
    expect(embargo?.text).toContain(
      `${id} "Hong Kong licenses two more exchanges" (previewed last here), set by`,
    );
  });

  it('an id that names a story wins; a mistyped one is refused, never applied to the draft', async () => {
    harness = await start();
    const h = harness;
    const older = await queue(h, 'older', 'Thailand bans five offshore exchanges');
    const draft = await queue(h, 'newer', 'Dubai regulator fines a broker');
    const [explicit] = await h.say(`/schedule ${older} tomorrow 9`);
    expect(explicit?.text).toMatch(new RegExp(`^Scheduled ${older}:`));
    expect(await atOf(h, older)).toEqual({ telegram: TOMORROW_9, x: TOMORROW_9 });
    const [typo] = await h.say('/schedule k3m9x2qb 14:30');
    expect(typo?.text).toContain('k3m9x2qb');
    expect(await atOf(h, draft)).toEqual({ telegram: undefined, x: undefined });
    // Commands that take only an id: a word that is no story is refused, not ignored.
    const [status] = await h.say('/status k3m9x2qb');
    expect(status?.text).toContain('k3m9x2qb');
  });

  it('/status, /edit and /cancel without an id; the draft survives a restart of the bot', async () => {
    harness = await start();
    const h = harness;
    const id = await queue(h, 'restart', 'Korea delays its crypto tax again');
    await h.restart();
    const [heading, status] = await h.say('/status', { expect: 2 });
    expect(heading?.text).toBe(`Status of ${id} "Korea delays its crypto tax again" (previewed last here):`);
    expect(status?.text).toContain(id);
    const edited = await h.say('/edit title Korea delays its crypto tax to 2028', { expect: 3 });
    expect(edited[0]?.text).toContain(`Edited ${id}`);
    const [cancelled] = await h.say('/cancel');
    expect(cancelled?.text).toMatch(
      new RegExp(`^Cancelled ${id} "Korea delays its crypto tax to 2028" \\(previewed last here\\) by`),
    );
  });

  it('each chat has its own draft; a chat with none says how to give one', async () => {
    harness = await start();
    const h = harness;
    await queue(h, 'mine', 'Brazil central bank sets stablecoin rules');
    const [none] = await h.say('/now', { fromId: SECOND_EDITOR_ID });
    expect(none?.text).toContain('Which story?');
    expect(none?.text).toContain('none yet');
    expect(EDITOR_ID).not.toBe(SECOND_EDITOR_ID);
  });
});
