import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TwitterApiXPublisher, type TwitterApiXPublisherOptions } from '../../../src/adapters/x/index.js';
import { PublishError } from '../../../src/errors/publish-error.js';
import type { XRateLimitSnapshot } from '../../../src/ports/x-port.js';
import { startXStandIn, X_SANDBOX_ACCOUNT, type XStandIn } from '../../../src/sandbox/standins/x/index.js';
import { caught, manualClock } from '../../support/x-fixtures.js';

const WINDOW_MS = 15 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
// Keys and tokens too: none of them belongs in an error an editor may see.
const SECRETS = [
  X_SANDBOX_ACCOUNT.appSecret,
  X_SANDBOX_ACCOUNT.accessSecret,
  X_SANDBOX_ACCOUNT.appKey,
  X_SANDBOX_ACCOUNT.accessToken,
];

const clock = manualClock();
let standIn: XStandIn;
const seenErrors: PublishError[] = [];

beforeAll(async () => {
  standIn = await startXStandIn({ now: clock.now, perWindow: 4, perDay: 6, windowMs: WINDOW_MS });
});
afterEach(() => standIn.reset());
afterAll(() => standIn.close());

function publisher(overrides: Partial<TwitterApiXPublisherOptions> = {}): TwitterApiXPublisher {
  return new TwitterApiXPublisher({
    appKey: X_SANDBOX_ACCOUNT.appKey,
    appSecret: X_SANDBOX_ACCOUNT.appSecret,
    accessToken: X_SANDBOX_ACCOUNT.accessToken,
    accessSecret: X_SANDBOX_ACCOUNT.accessSecret,
    apiRoot: standIn.apiRoot,
    now: clock.now,
    timeoutMs: 2000,
    ...overrides,
  });
}

async function publishError(call: () => Promise<unknown>): Promise<PublishError> {
  const error = await caught(call);
  expect(error).toBeInstanceOf(PublishError);
  seenErrors.push(error as PublishError);
  return error as PublishError;
}

describe('TwitterApiXPublisher against the X stand-in', () => {
  it('posts a 3-tweet thread that chains root -> reply -> reply', async () => {
    const x = publisher();
    const root = await x.tweet('1/ SEC sues exchange over staking');
    const second = await x.tweet('2/ The complaint names three counts', { replyToId: root.id });
    const third = await x.tweet('3/ The exchange says it will fight', { replyToId: second.id });

    expect(root).toEqual({ id: expect.stringMatching(/^\d+$/), text: '1/ SEC sues exchange over staking' });
    expect(second.inReplyToId).toBe(root.id);
    expect(third.inReplyToId).toBe(second.id);
    expect(standIn.threads()).toEqual([
      {
        root: expect.objectContaining({ id: root.id, text: '1/ SEC sues exchange over staking' }),
        replies: [
          expect.objectContaining({ id: second.id, in_reply_to_tweet_id: root.id }),
          expect.objectContaining({ id: third.id, in_reply_to_tweet_id: second.id }),
        ],
      },
    ]);
    expect(await x.recentTweets(3)).toEqual([
      { id: third.id, text: third.text, inReplyToId: second.id },
      { id: second.id, text: second.text, inReplyToId: root.id },
      { id: root.id, text: root.text },
    ]);
  });

  it("reports the tweet-posting budget through onRateLimit, never another endpoint's", async () => {
    const snapshots: XRateLimitSnapshot[] = [];
    const x = publisher({ onRateLimit: (s) => snapshots.push(s) });
    await x.tweet('Budget check');
    expect(snapshots.at(-1)).toEqual({
      window: { limit: 4, remaining: 3, resetAtMs: clock.now() + WINDOW_MS },
      day: { limit: 6, remaining: 5, resetAtMs: clock.now() + DAY_MS },
    });
    // The timeline read has a budget of its own (900 per window); it must not pass for the posting one.
    await x.recentTweets(5);
    expect(snapshots).toHaveLength(1);
  });

  it('maps an exhausted 15-minute window to rate-limited, waiting until its reset', async () => {
    const snapshots: XRateLimitSnapshot[] = [];
    const x = publisher({ onRateLimit: (s) => snapshots.push(s) });
    for (let i = 0; i < 4; i += 1) await x.tweet(`Window ${i}`);
    clock.advance(60_000);
    const error = await publishError(() => x.tweet('Fifth in the window'));
    expect(error.kind).toBe('rate-limited');
    expect(error.status).toBe(429);
    expect(error.retryAfterMs).toBe(WINDOW_MS - 60_000);
    expect(snapshots.at(-1)?.window?.remaining).toBe(0);
  });

  it('waits for the 24-hour cap when that is the one exhausted, the later reset when both are', async () => {
    const x = publisher();
    for (let i = 0; i < 4; i += 1) await x.tweet(`Morning ${i}`);
    clock.advance(WINDOW_MS);
    for (let i = 0; i < 2; i += 1) await x.tweet(`Noon ${i}`);
    const dayOnly = await publishError(() => x.tweet('Over the day cap'));
    expect(dayOnly.kind).toBe('rate-limited');
    expect(dayOnly.retryAfterMs).toBe(DAY_MS - WINDOW_MS);

    const both = await startXStandIn({ now: clock.now, perWindow: 2, perDay: 2 });
    try {
      const y = publisher({ apiRoot: both.apiRoot });
      await y.tweet('a');
      await y.tweet('b');
      const error = await publishError(() => y.tweet('c'));
      expect(error.retryAfterMs).toBe(DAY_MS);
    } finally {
      await both.close();
    }
  });

  // A 5xx may come from X's front end after the post was made: never a blind retry for a create.
  it.each(['http-500', 'http-503'] as const)('maps %s on a create to unknown-outcome', async (kind) => {
    standIn.faults.add({ method: 'POST /2/tweets', kind, times: 1 });
    const error = await publishError(() => publisher().tweet('Server trouble'));
    expect(error.kind).toBe('unknown-outcome');
    expect(error.retryable).toBe(false);
    expect(error.status).toBe(kind === 'http-500' ? 500 : 503);
  });

  it.each(['http-500', 'http-503'] as const)('maps %s on a read to transient', async (kind) => {
    standIn.faults.add({ method: 'GET /2/users/:id/tweets', kind, times: 1 });
    const error = await publishError(() => publisher().recentTweets(5));
    expect(error.kind).toBe('transient');
    expect(error.retryable).toBe(true);
  });

  it('maps duplicate content to permanent with X’s reason', async () => {
    const x = publisher();
    await x.tweet('Stablecoin bill passes committee');
    const error = await publishError(() => x.tweet('Stablecoin bill passes committee'));
    expect(error.kind).toBe('permanent');
    expect(error.status).toBe(403);
    expect(error.reason).toBe('You are not allowed to create a Tweet with duplicate content.');
  });

  it('maps too-long text and a deleted reply target to permanent', async () => {
    const tooLong = await publishError(() => publisher().tweet('a'.repeat(281)));
    expect(tooLong).toMatchObject({ kind: 'permanent', status: 400 });
    expect(tooLong.reason).toContain('Tweet text is too long');

    const gone = await publishError(() => publisher().tweet('Reply', { replyToId: '1234567890123456789' }));
    expect(gone).toMatchObject({ kind: 'permanent', status: 403 });
    expect(gone.reason).toContain('deleted or not visible');
  });

  it('maps a wrong secret to auth', async () => {
    const error = await publishError(() => publisher({ appSecret: 'wrong-secret-value' }).tweet('Nope'));
    expect(error.kind).toBe('auth');
    expect(error.status).toBe(401);
    expect(error.retryable).toBe(false);
  });

  it.each(['drop-after', 'timeout-after'] as const)(
    'maps %s to unknown-outcome; the tweet exists and recentTweets finds it',
    async (kind) => {
      standIn.faults.add({ method: 'POST /2/tweets', kind, times: 1 });
      const x = publisher({ timeoutMs: 300 });
      const error = await publishError(() => x.tweet('Did this land?'));
      expect(error.kind).toBe('unknown-outcome');
      expect(error.retryable).toBe(false);
      expect(standIn.tweets()).toEqual([expect.objectContaining({ text: 'Did this land?', deleted: false })]);

      const recent = await x.recentTweets(5);
      expect(recent.map((t) => t.text)).toContain('Did this land?');
    },
  );

  it('maps a closed port to transient', async () => {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));

    const error = await publishError(() =>
      publisher({ apiRoot: `http://127.0.0.1:${port}` }).tweet('Anyone?'),
    );
    expect(error.kind).toBe('transient');
    expect(error.reason).toContain('ECONNREFUSED');
  });

  it('maps an aborted call to unknown-outcome, or to transient when aborted before sending', async () => {
    standIn.faults.add({ method: 'POST /2/tweets', kind: 'timeout-after', times: 1 });
    const controller = new AbortController();
    const pending = publishError(() => publisher().tweet('Abort me', { signal: controller.signal }));
    setTimeout(() => controller.abort(), 100);
    expect((await pending).kind).toBe('unknown-outcome');

    const early = await publishError(() => publisher().tweet('Never sent', { signal: AbortSignal.abort() }));
    expect(early.kind).toBe('transient');
  });

  it('never puts a secret in an error message, reason or inspected error', () => {
    expect(seenErrors.length).toBeGreaterThan(10);
    for (const error of seenErrors) {
      const rendered = `${error.message}\n${error.reason}\n${inspect(error, { depth: 6 })}`;
      for (const secret of SECRETS) expect(rendered).not.toContain(secret);
    }
  });
});
