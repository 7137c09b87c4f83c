import type { Redis } from 'ioredis';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deletePrefix, TEST_REDIS_URL, testRedis, uniquePrefix } from '../../../harness/redis.js';
import { type App, startApp } from '../../../src/app/start-app.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { silentLogger } from '../../../src/util/logger.js';
import { launchChromium } from '../../support/chromium.js';

// A person opens the sandbox page in a real browser, queues a story as an editor and watches the
// channel post and the thread appear.
describe('the sandbox page in headless Chromium', () => {
  let app: App;
  let browser: Browser;
  let redis: Redis;
  const prefix = uniquePrefix('browser');

  beforeAll(async () => {
    redis = testRedis();
    const config = loadConfig({
      env: { REDIS_URL: TEST_REDIS_URL, REGWIRE_QUEUE_PREFIX: prefix, REGWIRE_SANDBOX: 'on', PORT: '0' },
    });
    app = await startApp(config, silentLogger);
    browser = await launchChromium();
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await deletePrefix(redis, prefix);
    redis.disconnect();
  });

  it('queues a story from the form and shows the post and the whole thread', async () => {
    const page = await browser.newPage();
    await page.goto(app.web?.url ?? '');
    await expect.poll(() => page.title(), { timeout: 10_000 }).toBe('regwire sandbox');

    const title = 'MiCA: ESMA grants the first stablecoin licence under the new regime';
    const body = [
      'The European Securities and Markets Authority approved the first e-money token issuer under MiCA on Friday, a milestone for the regulation.',
      'Issuers must hold reserves 1:1 & publish a white paper; <script> tags in a story show as text.',
      'Exchanges in the EU must delist non-compliant stablecoins by the end of the quarter, the regulator said.',
    ].join('\n\n');
    await page.fill('input[name=title]', title);
    await page.fill('textarea[name=body]', body);
    await page.fill('input[name=url]', 'https://news.example.eu/mica-first-licence');
    await page.click('button[type=submit]');
    await expect.poll(() => page.textContent('#result'), { timeout: 10_000 }).toMatch(/^Queued [0-9a-z]{8}$/);

    const storyId = ((await page.textContent('#result')) ?? '').replace('Queued ', '');
    const record = await app.services.store.get(storyId);
    const tweets = record?.rendered.x.length ?? 0;
    expect(tweets).toBeGreaterThan(1);

    const post = page.locator('#channel .msg').first();
    await expect.poll(() => post.locator('b').first().textContent(), { timeout: 10_000 }).toBe(title);
    expect(await post.textContent()).toContain('<script> tags in a story show as text');
    expect(await page.locator('#channel script').count()).toBe(0);
    const links = await post.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    expect(links).toContain('https://news.example.eu/mica-first-licence');

    await expect.poll(() => page.locator('#timeline .tweet').count(), { timeout: 10_000 }).toBe(tweets);
    expect(await page.locator('#timeline .thread').count()).toBe(1);
    expect(await page.locator('#timeline .tweet.reply').count()).toBe(tweets - 1);
    await page.screenshot({ path: `/tmp/regwire-sandbox-${prefix}.png`, fullPage: true });
  });

  it('lets a person act as an editor in the bot chat: paste, preview, Post now', async () => {
    const page = await browser.newPage();
    await page.goto(app.web?.url ?? '');
    await expect.poll(() => page.locator('#editor-chat').isVisible(), { timeout: 10_000 }).toBe(true);
    const title = 'Kazakhstan caps crypto mining power use at 1 GW under new licensing rules';
    const article = `${title}\n\nThe energy ministry said licensed miners must buy power on the exchange from January. Unlicensed farms face fines.\n\nhttps://news.example.kz/mining-cap`;
    await page.fill('#chat-form textarea', article);
    await page.click('#chat-form button[type=submit]');

    const postNow = page.locator('#chat-log button', { hasText: 'Post now' }).first();
    await expect.poll(() => postNow.count(), { timeout: 10_000 }).toBe(1);
    // The preview in the chat is the channel post itself: the headline in bold.
    expect(await page.locator('#chat-log b', { hasText: title }).count()).toBeGreaterThan(0);
    await postNow.click();

    const post = page.locator('#channel .msg', { hasText: 'Kazakhstan caps crypto mining' });
    await expect.poll(() => post.count(), { timeout: 10_000 }).toBe(1);
    await expect
      .poll(() => page.locator('#timeline .tweet', { hasText: 'Kazakhstan caps' }).count(), {
        timeout: 10_000,
      })
      .toBe(1);

    // /status shows each part with a link to what was published, and who did what.
    const storyId = /Story id ([0-9a-z]{8})/.exec((await page.textContent('#chat-log')) ?? '')?.[1] ?? '';
    expect(storyId).toMatch(/^[0-9a-z]{8}$/);
    await expect
      .poll(
        async () => (await app.services.store.publications(storyId)).every((p) => p.state === 'published'),
        {
          timeout: 10_000,
        },
      )
      .toBe(true);
    await page.fill('#chat-form textarea', `/status ${storyId}`);
    await page.click('#chat-form button[type=submit]');
    await expect
      .poll(() => page.locator('#chat-log').textContent(), { timeout: 10_000 })
      .toMatch(/https:\/\/t\.me\/regwire_sandbox\/\d+/);
    const log = (await page.locator('#chat-log').textContent()) ?? '';
    expect(log).toMatch(/https:\/\/x\.com\/regwire_sandbox\/status\/\d+/);
    expect(log).toContain('@sandbox_editor');
    await page.screenshot({ path: `/tmp/regwire-editor-${prefix}.png`, fullPage: true });
  });

  it('refuses a story without a title and says why', async () => {
    const page = await browser.newPage();
    await page.goto(app.web?.url ?? '');
    await page.locator('input[name=title]').evaluate((el) => el.removeAttribute('required'));
    await page.fill('textarea[name=body]', 'no title here');
    await page.click('button[type=submit]');
    await expect.poll(() => page.textContent('#result'), { timeout: 10_000 }).toMatch(/^Refused: .*title/);
  });
});
