import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TwitterApiXPublisher } from '../../../src/adapters/x/index.js';
import { PublishError } from '../../../src/errors/publish-error.js';
import { startXStandIn, X_SANDBOX_ACCOUNT, type XStandIn } from '../../../src/sandbox/standins/x/index.js';
import { docFixture } from '../../support/doc-fixtures.js';
import { caught, manualClock } from '../../support/x-fixtures.js';

// `DELETE /2/tweets/:id` through twitter-api-v2 and the adapter, against the stand-in and X's documented
// answer and window (test/contract/fixtures/x/delete-post-response.json).

const documented = docFixture<{
  source: string;
  rateLimitPerWindow: number;
  response: { data: { deleted: boolean } };
}>('x/delete-post-response.json');

const WINDOW_MS = 15 * 60 * 1000;
const clock = manualClock();
let standIn: XStandIn;

beforeAll(async () => {
  standIn = await startXStandIn({ now: clock.now, windowMs: WINDOW_MS });
});
afterEach(() => standIn.reset());
afterAll(() => standIn.close());

const publisher = () =>
  new TwitterApiXPublisher({
    appKey: X_SANDBOX_ACCOUNT.appKey,
    appSecret: X_SANDBOX_ACCOUNT.appSecret,
    accessToken: X_SANDBOX_ACCOUNT.accessToken,
    accessSecret: X_SANDBOX_ACCOUNT.accessSecret,
    apiRoot: standIn.apiRoot,
    now: clock.now,
    timeoutMs: 2000,
  });

describe('deleting tweets', () => {
  it('answers the documented body, and a repeated delete is already-gone', async () => {
    const x = publisher();
    const tweet = await x.tweet('Retracted: SEC approves ETF');
    const raw = await x.deleteTweet(tweet.id);
    expect(raw).toBe(documented.response.data.deleted ? 'deleted' : 'already-gone');
    expect(standIn.tweets().find((t) => t.id === tweet.id)?.deleted).toBe(true);
    expect(await x.deleteTweet(tweet.id)).toBe('already-gone');
  });

  it('has its own window of 50 per 15 minutes, apart from posting; the 51st is rate-limited until reset', async () => {
    const x = publisher();
    const tweet = await x.tweet('one');
    for (let i = 0; i < documented.rateLimitPerWindow; i++) await x.deleteTweet(tweet.id);
    const error = await caught(() => x.deleteTweet(tweet.id));
    expect(error).toBeInstanceOf(PublishError);
    expect(error).toMatchObject({ kind: 'rate-limited', platform: 'x' });
    expect((error as PublishError).retryAfterMs).toBeGreaterThan(0);
    expect((error as PublishError).retryAfterMs).toBeLessThanOrEqual(WINDOW_MS);
    // Posting is counted apart.
    await expect(x.tweet('two')).resolves.toMatchObject({ text: 'two' });
    clock.advance(WINDOW_MS);
    await expect(x.deleteTweet(tweet.id)).resolves.toBe('already-gone');
  });
});
