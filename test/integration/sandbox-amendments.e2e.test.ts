import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Redis } from 'ioredis';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deletePrefix, TEST_REDIS_URL, testRedis, uniquePrefix } from '../../harness/redis.js';
import { type App, startApp } from '../../src/app/start-app.js';
import { loadConfig } from '../../src/config/load-config.js';
import { silentLogger } from '../../src/util/logger.js';
import type { EditorChatEntry, EditorChatSnapshot } from '../../src/web/editor-chat.js';
import type { FeedSnapshot } from '../../src/web/feed.js';
import { launchChromium } from '../support/chromium.js';
import { waitFor } from '../support/wait-for.js';

// The sandbox as a person uses it: regwire in sandbox mode (stand-ins, workers, bot, page), every
// correction command typed into the page's editor console and every button pressed there, over HTTP;
// what followers would see read from the page's feed (JSON) and the page itself in headless Chromium.

const ARTICLE = [
  '/queue ESMA names the first twelve MiCA licences',
  '',
  'ESMA publishes the register of twelve crypto-asset service providers licensed under MiCA, a year after the rules took effect.',
  '',
  'Among them are three exchanges and two custodians based in Germany.',
  '',
  'https://example.com/mica-twelve',
].join('\n');
const MARKET_MOVING = [
  '/queue SEC approves the first spot ether ETF',
  '',
  'The Securities and Exchange Commission approved the first spot ether exchange-traded fund on Wednesday.',
  '',
  'https://example.com/sec-ether-etf',
].join('\n');

let app: App;
let browser: Browser;
let redis: Redis;
let dir: string;
const prefix = uniquePrefix('sandbox-amend');

beforeAll(async () => {
  redis = testRedis();
  dir = await mkdtemp(path.join(tmpdir(), 'regwire-sandbox-amend-'));
  await cp('config', dir, { recursive: true });
  const file = path.join(dir, 'regwire.json');
  const config = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  await writeFile(file, JSON.stringify({ ...config, approval: { marketMoving: true } }));
  app = await startApp(
    loadConfig({
      env: {
        REDIS_URL: TEST_REDIS_URL,
        REGWIRE_QUEUE_PREFIX: prefix,
        REGWIRE_SANDBOX: 'on',
        REGWIRE_CONFIG_DIR: dir,
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'silent',
      },
    }),
    silentLogger,
    { roles: { workers: true, web: true, maintenance: false, bot: true } },
  );
  browser = await launchChromium();
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await deletePrefix(redis, prefix);
  redis.disconnect();
  await rm(dir, { recursive: true, force: true });
});

function api(route: string, body?: unknown): Promise<Response> {
  const url = new URL(route, app.web!.url);
  return body === undefined
    ? fetch(url)
    : fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
}

async function entries(): Promise<readonly EditorChatEntry[]> {
  return ((await (await api('api/editor/chat')).json()) as EditorChatSnapshot).entries;
}

async function feed(): Promise<FeedSnapshot> {
  return (await (await api('api/feed')).json()) as FeedSnapshot;
}

const SLOW_DOWN = /^Slow down, please: .* I will listen again in (\d+) s\./;

/**
 * Types `text` into the console and waits for the bot's answer that `done` recognises. Told to slow down
 * (the bot's flood gate: these tests type faster than a person), it waits as long as the bot says and
 * types it again, as a person would.
 */
async function say(text: string, done: (e: EditorChatEntry) => boolean, tries = 3): Promise<EditorChatEntry> {
  const before = (await entries()).length;
  expect((await api('api/editor/messages', { text })).status).toBe(202);
  try {
    const answer = await waitFor(
      async () =>
        (await entries()).slice(before).find((e) => e.from === 'bot' && (done(e) || SLOW_DOWN.test(e.text))),
      { what: `the bot's answer to ${text.split('\n')[0]}`, timeoutMs: 10_000 },
    );
    const wait = SLOW_DOWN.exec(answer.text);
    if (!wait || done(answer) || tries <= 1) return answer;
    await new Promise((r) => setTimeout(r, Number(wait[1]) * 1_000 + 200));
    return say(text, done, tries - 1);
  } catch (err) {
    const seen = (await entries()).slice(before).map((e) => `${e.from}: ${e.text.slice(0, 200)}`);
    throw new Error(`${(err as Error).message}; the console shows:\n${seen.join('\n')}`);
  }
}

/** Presses a button on a console message and waits until the message says what was done. */
async function press(entry: EditorChatEntry, label: string): Promise<EditorChatEntry> {
  const button = entry.buttons.flat().find((b) => b.text === label);
  expect(button, `button ${label}`).toBeDefined();
  expect((await api('api/editor/press', { messageId: entry.messageId, data: button!.data })).status).toBe(
    202,
  );
  return waitFor(
    async () => (await entries()).find((e) => e.messageId === entry.messageId && e.buttons.length === 0),
    { what: `${label} to be done`, timeoutMs: 10_000 },
  );
}

describe('corrections in the sandbox, from its editor console', () => {
  it('correct, corrections, retract, pending and approve work from the console; the page marks what changed', async () => {
    const preview = await say(ARTICLE, (e) => e.buttons.flat().some((b) => b.text === 'Post now'));
    const storyId = /Preview of ([0-9a-z]{8})/.exec(preview.text)?.[1] ?? '';
    await press(preview, 'Post now');
    const states = async () =>
      (await app.services.store.publications(storyId)).map((p) => `${p.destination}:${p.state}`).sort();
    await waitFor(async () => (await states()).join() === 'telegram:published,x:published', {
      what: 'the story to be published',
      timeoutMs: 20_000,
    });
    const published = await waitFor(
      async () => {
        const f = await feed();
        const post = f.telegram.messages.find((m) => m.text.startsWith('ESMA names the first twelve'));
        return post && f.x.tweets[0] ? { post, first: f.x.tweets[0] } : undefined;
      },
      { what: 'the story on the channel and X', timeoutMs: 20_000 },
    );
    expect(published.post.edited).toBeUndefined();

    const correction = await say(`/correct ${storyId} eleven, not twelve`, (e) => e.buttons.length > 0);
    expect(correction.text).toContain(`a reply under tweet ${published.first.id}`);
    const confirmed = await press(correction, 'Confirm');
    expect(confirmed.text).toContain(`${storyId} correction c1`);
    const corrected = await waitFor(
      async () => {
        const f = await feed();
        const post = f.telegram.messages.find((m) => m.id === published.post.id);
        const reply = f.x.tweets.find((t) => t.correction);
        return post?.edited && reply ? { post, reply, f } : undefined;
      },
      { what: 'the edit and the correction reply on the page', timeoutMs: 20_000 },
    );
    expect(corrected.post.text).toMatch(/Corrected \d\d:\d\d UTC: eleven, not twelve$/);
    expect(corrected.reply).toMatchObject({
      inReplyToId: published.first.id,
      text: 'Correction: eleven, not twelve',
    });
    // The thread's own replies are not corrections.
    expect(corrected.f.x.tweets.filter((t) => t.correction)).toHaveLength(1);
    // As a person sees the page: the post marked edited, the reply marked as the correction.
    const page = await browser.newPage();
    await page.goto(app.web!.url);
    const post = page.locator(`#channel .msg[data-message-id="${published.post.id}"]`);
    await expect.poll(() => post.locator('.marker.edited').textContent(), { timeout: 10_000 }).toBe('edited');
    const reply = page.locator(`#timeline .tweet[data-tweet-id="${corrected.reply.id}"]`);
    await expect
      .poll(() => reply.locator('.marker.correction').textContent(), { timeout: 10_000 })
      .toBe('correction reply');
    expect(await reply.textContent()).toContain('Correction: eleven, not twelve');
    expect(await page.locator('#timeline .tweet.correction').count()).toBe(1);

    const listed = await say('/corrections', (e) => e.text.includes('correction c1'));
    expect(listed.text).toContain(`${storyId} correction c1`);

    const retraction = await say(
      `/retract ${storyId} the register was withdrawn`,
      (e) => e.buttons.length > 0,
    );
    expect(retraction.text).toContain('tweets deleted, newest first');
    await press(retraction, 'Confirm');
    const retracted = await waitFor(
      async () => {
        const f = await feed();
        const post = f.telegram.messages.find((m) => m.id === published.post.id);
        return post?.deleted && f.x.tweets.every((t) => t.deleted) ? f : undefined;
      },
      { what: 'the retraction on the page', timeoutMs: 20_000 },
    );
    // Gone for followers: the page keeps a marker only, with nothing of the text.
    expect(retracted.telegram.messages.find((m) => m.id === published.post.id)).toMatchObject({
      deleted: true,
      text: '',
      entities: [],
    });
    expect(retracted.x.tweets.map((t) => t.text)).toEqual(retracted.x.tweets.map(() => ''));
    await expect
      .poll(() => post.locator('.marker.deleted').textContent(), { timeout: 10_000 })
      .toBe('deleted');
    expect(await post.textContent()).not.toContain('ESMA');
    expect(
      await post.evaluate(
        (el) =>
          // Runs in the page, where the DOM's getComputedStyle exists.
          (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(el)
            .color,
      ),
    ).toBe('rgb(153, 153, 153)');
    await expect
      .poll(() => page.locator('#timeline .tweet.deleted').count(), { timeout: 10_000 })
      .toBe(retracted.x.tweets.length);
    expect(await page.locator('#timeline').textContent()).not.toContain('Correction: eleven');

    const held = await say(MARKET_MOVING, (e) => e.text.includes('Preview of'));
    const heldId = /Preview of ([0-9a-z]{8})/.exec(held.text)?.[1] ?? '';
    const pending = await say('/pending', (e) => e.text.includes('Waiting for a second editor'));
    expect(pending.text).toContain(`${heldId} SEC approves the first spot ether ETF`);
    const approve = await say(`/approve ${heldId}`, (e) => e.text.startsWith('Not approved'));
    expect(approve.text).toContain('a second editor must approve it');
  }, 90_000);

  it('quiet, protect, live, update and close work from the console; the page shows the pin and the update', async () => {
    const article = ARTICLE.replace('first twelve', 'next six').replace('mica-twelve', 'mica-six');
    const preview = await say(article, (e) => e.buttons.flat().some((b) => b.text === 'Post now'));
    const storyId = /Preview of ([0-9a-z]{8})/.exec(preview.text)?.[1] ?? '';
    const quiet = await say(`/quiet ${storyId} on`, (e) => e.text.includes('on Telegram:'));
    expect(quiet.text).toContain(storyId);
    const protect = await say(`/protect ${storyId} on`, (e) => e.text.includes('on Telegram:'));
    expect(protect.text).toContain(storyId);
    await press(preview, 'Post now');
    const post = await waitFor(
      async () => (await feed()).telegram.messages.find((m) => m.text.startsWith('ESMA names the next six')),
      { what: 'the story on the channel', timeoutMs: 20_000 },
    );
    await waitFor(
      async () => (await app.services.store.publications(storyId)).every((p) => p.state === 'published'),
      {
        what: 'the story to be published on both',
        timeoutMs: 20_000,
      },
    );

    const live = await say(`/live ${storyId}`, (e) => e.text.includes('is live'));
    expect(live.text).toContain(`/close ${storyId} unpins it`);
    await waitFor(
      async () => (await feed()).telegram.messages.find((m) => m.id === post.id)?.pinned === true,
      {
        what: 'the pin on the page',
        timeoutMs: 20_000,
      },
    );

    const update = await say(`/update ${storyId} Two more custodians were added on Friday.`, (e) =>
      e.buttons.flat().some((b) => b.text === 'Send update'),
    );
    await press(update, 'Send update');
    const sent = await waitFor(
      async () => {
        const f = await feed();
        const reply = f.telegram.messages.find((m) => m.replyToId === post.id);
        const tweet = f.x.tweets.find((t) => t.text.includes('Two more custodians'));
        return reply && tweet ? { reply, tweet } : undefined;
      },
      { what: 'the update on the channel and X', timeoutMs: 20_000 },
    );
    expect(sent.reply.text).toMatch(/^Update \d\d:\d\d UTC\n\nTwo more custodians were added on Friday\.$/);
    expect(sent.tweet.inReplyToId).toBeDefined();

    const closed = await say(`/close ${storyId}`, (e) => e.text.includes('no longer live'));
    expect(closed.text).toContain('unpinning its channel post');
    await waitFor(
      async () => (await feed()).telegram.messages.find((m) => m.id === post.id)?.pinned === undefined,
      {
        what: 'the pin to go from the page',
        timeoutMs: 20_000,
      },
    );
  }, 90_000);
});
