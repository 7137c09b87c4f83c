import http from 'node:http';
import { ApiResponseError, TwitterApi } from 'twitter-api-v2';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  startXStandIn,
  X_SANDBOX_ACCOUNT,
  type XStandIn,
  type XStandInThread,
  type XStandInTweet,
} from '../../../src/sandbox/standins/x/index.js';
import { caught, manualClock, standInClient, X_SECOND_ACCOUNT } from '../../support/x-fixtures.js';

const clock = manualClock();
let standIn: XStandIn;
let client: TwitterApi;

beforeAll(async () => {
  standIn = await startXStandIn({
    accounts: [X_SANDBOX_ACCOUNT, X_SECOND_ACCOUNT],
    now: clock.now,
    perWindow: 5,
    perDay: 8,
    windowMs: 15 * 60 * 1000,
    duplicateWindowMs: 60 * 60 * 1000,
  });
  client = standInClient(standIn);
});
afterEach(() => standIn.reset());
afterAll(() => standIn.close());

async function responseError(call: () => Promise<unknown>): Promise<ApiResponseError> {
  const error = await caught(call);
  expect(error).toBeInstanceOf(ApiResponseError);
  return error as ApiResponseError;
}

describe('stand-in X API: what twitter-api-v2 sends is accepted', () => {
  it('creates a tweet and a reply chain, visible through the X read endpoints and threads()', async () => {
    const root = await client.v2.tweet('SEC sues exchange over unregistered staking');
    const reply = await client.v2.reply('Filing: 41 pages, three counts.', root.data.id);
    const reply2 = await client.v2.tweet('Exchange says it will fight.', {
      reply: { in_reply_to_tweet_id: reply.data.id },
    });
    expect(root.data).toEqual({
      id: expect.stringMatching(/^\d+$/),
      text: 'SEC sues exchange over unregistered staking',
      edit_history_tweet_ids: [root.data.id],
    });
    expect(BigInt(reply.data.id)).toBeGreaterThan(BigInt(root.data.id));
    expect(BigInt(reply2.data.id)).toBeGreaterThan(BigInt(reply.data.id));

    const me = await client.v2.me();
    expect(me.data).toEqual({
      id: X_SANDBOX_ACCOUNT.userId,
      name: 'regwire sandbox',
      username: 'regwire_sandbox',
    });

    const fetched = await client.v2.singleTweet(reply.data.id, {
      'tweet.fields': [
        'created_at',
        'author_id',
        'referenced_tweets',
        'in_reply_to_user_id',
        'conversation_id',
      ],
    });
    expect(fetched.data).toMatchObject({
      id: reply.data.id,
      author_id: X_SANDBOX_ACCOUNT.userId,
      created_at: new Date(clock.now()).toISOString(),
      referenced_tweets: [{ type: 'replied_to', id: root.data.id }],
      in_reply_to_user_id: X_SANDBOX_ACCOUNT.userId,
      conversation_id: root.data.id,
    });

    const timeline = await client.v2.userTimeline(me.data.id, { 'tweet.fields': ['referenced_tweets'] });
    expect(timeline.tweets.map((t) => t.id)).toEqual([reply2.data.id, reply.data.id, root.data.id]);
    expect(timeline.meta).toMatchObject({
      result_count: 3,
      newest_id: reply2.data.id,
      oldest_id: root.data.id,
    });

    expect(standIn.threads()).toEqual([
      {
        root: expect.objectContaining({ id: root.data.id }),
        replies: [
          expect.objectContaining({ id: reply.data.id, in_reply_to_tweet_id: root.data.id }),
          expect.objectContaining({ id: reply2.data.id, in_reply_to_tweet_id: reply.data.id }),
        ],
      },
    ]);
  });

  it('paginates the user timeline newest first with next_token and honours since_id', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i += 1) {
      ids.push((await client.v2.tweet(`Update ${i}`)).data.id);
      if (i === 4) clock.advance(16 * 60 * 1000); // stay inside the 5-per-window limit
    }
    const first = await client.v2.get(
      'users/:id/tweets',
      { max_results: 5 },
      { params: { id: X_SANDBOX_ACCOUNT.userId } },
    );
    expect(first.data.map((t: { id: string }) => t.id)).toEqual(ids.slice(2).reverse());
    expect(first.meta.next_token).toEqual(expect.any(String));
    const second = await client.v2.get(
      'users/:id/tweets',
      { max_results: 5, pagination_token: first.meta.next_token },
      { params: { id: X_SANDBOX_ACCOUNT.userId } },
    );
    expect(second.data.map((t: { id: string }) => t.id)).toEqual(ids.slice(0, 2).reverse());
    expect(second.meta.next_token).toBeUndefined();

    const since = await client.v2.userTimeline(X_SANDBOX_ACCOUNT.userId, { since_id: ids[4] });
    expect(since.tweets.map((t) => t.id)).toEqual([ids[6], ids[5]]);
  });

  it('rejects max_results outside 5..100 with an invalid-request problem', async () => {
    const error = await responseError(() =>
      client.v2.userTimeline(X_SANDBOX_ACCOUNT.userId, { max_results: 4 }),
    );
    expect(error.code).toBe(400);
    expect(error.data.type).toBe('https://api.twitter.com/2/problems/invalid-request');
  });

  it('reports a deleted tweet as not found and refuses to reply to it', async () => {
    const tweet = await client.v2.tweet('Correction coming');
    expect(await client.v2.deleteTweet(tweet.data.id)).toEqual({ data: { deleted: true } });
    const lookup = await client.v2.singleTweet(tweet.data.id);
    expect(lookup.errors?.[0]).toMatchObject({ title: 'Not Found Error', resource_id: tweet.data.id });
    expect(standIn.tweets()).toEqual([expect.objectContaining({ id: tweet.data.id, deleted: true })]);

    const error = await responseError(() => client.v2.reply('Follow-up', tweet.data.id));
    expect(error.code).toBe(403);
    expect(error.data).toMatchObject({
      title: 'Forbidden',
      detail: 'You attempted to reply to a Tweet that is deleted or not visible to you.',
    });
  });

  it('refuses a reply to a tweet that never existed', async () => {
    const error = await responseError(() => client.v2.reply('Into the void', '1234567890123456789'));
    expect(error.code).toBe(403);
    expect(error.data.detail).toBe(
      'You attempted to reply to a Tweet that is deleted or not visible to you.',
    );
    expect(standIn.tweets()).toEqual([]);
  });
});

describe('stand-in X API: OAuth 1.0a', () => {
  it.each([
    ['a wrong consumer secret', { appSecret: 'not-the-secret' }],
    ['a wrong token secret', { accessSecret: 'not-the-secret' }],
    ['unknown keys', { appKey: 'who-is-this', accessToken: '1-unknown' }],
  ])('answers 401 Unauthorized for %s', async (_label, account) => {
    const error = await responseError(() => standInClient(standIn, account).v2.tweet('Should not land'));
    expect(error.code).toBe(401);
    expect(error.data).toEqual({
      title: 'Unauthorized',
      detail: 'Unauthorized',
      type: 'about:blank',
      status: 401,
    });
    expect(standIn.tweets()).toEqual([]);
  });

  it('answers 401 to a bearer token and to missing or malformed OAuth headers', async () => {
    const bearer = new TwitterApi('some-bearer-token', {
      httpAgent: new http.Agent(),
      plugins: [
        {
          onBeforeRequestConfig({ params }) {
            const url = new URL(params.url);
            params.url = standIn.apiRoot + url.pathname + url.search;
          },
        },
      ],
    });
    expect((await responseError(() => bearer.v2.tweet('hello'))).code).toBe(401);

    const body = JSON.stringify({ text: 'hello' });
    const headers = { 'content-type': 'application/json' };
    const missing = await fetch(`${standIn.apiRoot}/2/tweets`, { method: 'POST', headers, body });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ title: 'Unauthorized', status: 401 });
    const malformed = await fetch(`${standIn.apiRoot}/2/tweets`, {
      method: 'POST',
      headers: { ...headers, authorization: 'OAuth oauth_consumer_key=sandbox-app-key' },
      body,
    });
    expect(malformed.status).toBe(401);
  });

  it('verifies the signature over the URL it received, so signing one URL and sending to another fails', async () => {
    // Rewriting after the library signed (onBeforeRequest) leaves a signature over https://api.x.com/...
    const lateRewrite = new TwitterApi(
      {
        appKey: X_SANDBOX_ACCOUNT.appKey,
        appSecret: X_SANDBOX_ACCOUNT.appSecret,
        accessToken: X_SANDBOX_ACCOUNT.accessToken,
        accessSecret: X_SANDBOX_ACCOUNT.accessSecret,
      },
      {
        httpAgent: new http.Agent(),
        plugins: [
          {
            onBeforeRequest({ computedParams }) {
              const target = new URL(standIn.apiRoot);
              computedParams.url.protocol = target.protocol;
              computedParams.url.host = target.host;
            },
          },
        ],
      },
    );
    expect((await responseError(() => lateRewrite.v2.tweet('Signed for the wrong host'))).code).toBe(401);
    // The adapter rewrites before signing, so the same call passes.
    await expect(client.v2.tweet('Signed for the right host')).resolves.toBeDefined();
  });

  it('signs and verifies query parameters too', async () => {
    await client.v2.tweet('One');
    const timeline = await client.v2.userTimeline(X_SANDBOX_ACCOUNT.userId, {
      max_results: 7,
      'tweet.fields': ['created_at', 'referenced_tweets'],
      exclude: ['retweets'],
    });
    expect(timeline.tweets).toHaveLength(1);
  });
});

describe('stand-in X API: content rules', () => {
  it('counts weighted length like twitter-text: 280 passes, 281 is a 400 naming the text parameter', async () => {
    await expect(client.v2.tweet('a'.repeat(280))).resolves.toBeDefined();
    await expect(client.v2.tweet('日'.repeat(140))).resolves.toBeDefined();
    // 300 raw characters, but the URL counts as 23.
    await expect(client.v2.tweet(`Read: https://www.sec.gov/${'x'.repeat(290)}`)).resolves.toBeDefined();

    const tooLong = await responseError(() => client.v2.tweet('日'.repeat(141)));
    expect(tooLong.code).toBe(400);
    expect(tooLong.data).toMatchObject({
      title: 'Invalid Request',
      type: 'https://api.twitter.com/2/problems/invalid-request',
    });
    expect(tooLong.data.errors?.[0]).toMatchObject({
      parameters: { text: ['日'.repeat(141)] },
      message: expect.stringContaining('Tweet text is too long'),
    });
  });

  it('rejects empty text with a 400 naming the text parameter', async () => {
    const error = await responseError(() => client.v2.tweet(''));
    expect(error.code).toBe(400);
    expect(error.data.errors?.[0]).toMatchObject({ parameters: { text: [''] } });
  });

  it('refuses identical text from the same account within the duplicate window only', async () => {
    await client.v2.tweet('CFTC fines broker $2m');
    const error = await responseError(() => client.v2.tweet('CFTC fines broker $2m'));
    expect(error.code).toBe(403);
    expect(error.data).toEqual({
      detail: 'You are not allowed to create a Tweet with duplicate content.',
      type: 'about:blank',
      title: 'Forbidden',
      status: 403,
    });
    await expect(
      standInClient(standIn, X_SECOND_ACCOUNT).v2.tweet('CFTC fines broker $2m'),
    ).resolves.toBeDefined();
    clock.advance(60 * 60 * 1000);
    await expect(client.v2.tweet('CFTC fines broker $2m')).resolves.toBeDefined();
  });

  it("lets a deleted tweet's text be posted again at once", async () => {
    const first = await client.v2.tweet('MiCA register opens');
    await client.v2.deleteTweet(first.data.id);
    await expect(client.v2.tweet('MiCA register opens')).resolves.toBeDefined();
    // The new one counts again.
    expect((await responseError(() => client.v2.tweet('MiCA register opens'))).code).toBe(403);
  });
});

describe('stand-in X API: rate limits', () => {
  it('sends x-rate-limit-* on every response and the 24-hour user cap on POST /2/tweets', async () => {
    const posted = await client.v2.post('tweets', { text: 'Headers please' }, { fullResponse: true });
    expect(posted.rateLimit).toEqual({
      limit: 5,
      remaining: 4,
      reset: Math.ceil((clock.now() + 15 * 60 * 1000) / 1000),
      userDay: { limit: 8, remaining: 7, reset: Math.ceil((clock.now() + 24 * 3600 * 1000) / 1000) },
    });
    const read = await client.v2.get('users/me', undefined, { fullResponse: true });
    expect(read.rateLimit).toMatchObject({ limit: 900, remaining: 899 });
    expect(read.rateLimit?.userDay).toBeUndefined();
  });

  it('answers 429 with headers and a problem once the 15-minute window is used, and recovers after reset', async () => {
    for (let i = 0; i < 5; i += 1) await client.v2.tweet(`Window ${i}`);
    const error = await responseError(() => client.v2.tweet('One too many'));
    expect(error.code).toBe(429);
    expect(error.data).toEqual({
      title: 'Too Many Requests',
      detail: 'Too Many Requests',
      type: 'about:blank',
      status: 429,
    });
    expect(error.rateLimit).toMatchObject({ limit: 5, remaining: 0, userDay: { limit: 8, remaining: 3 } });
    expect(error.rateLimit?.reset).toBe(Math.ceil((clock.now() + 15 * 60 * 1000) / 1000));

    clock.advance(15 * 60 * 1000);
    await expect(client.v2.tweet('After the window')).resolves.toBeDefined();
  });

  it('answers 429 when the 24-hour user cap is used even though the window has room', async () => {
    for (let i = 0; i < 8; i += 1) {
      await client.v2.tweet(`Day ${i}`);
      if (i === 4) clock.advance(15 * 60 * 1000);
    }
    const error = await responseError(() => client.v2.tweet('Over the day cap'));
    expect(error.code).toBe(429);
    expect(error.rateLimit).toMatchObject({ remaining: 2, userDay: { limit: 8, remaining: 0 } });
  });
});

describe('stand-in X API: routes, inspection and faults', () => {
  it('answers 404 for routes X does not serve', async () => {
    const error = await responseError(() => client.v2.get('tweets/search/nowhere/at/all'));
    expect(error.code).toBe(404);
    const v1 = await responseError(() => client.v1.get('statuses/home_timeline.json'));
    expect(v1.code).toBe(404);
  });

  it('exposes tweets, threads and faults over HTTP and streams events', async () => {
    const events: string[] = [];
    const off = standIn.onEvent((e) => events.push(e.type));
    const root = await client.v2.tweet('Root');
    await client.v2.reply('Child', root.data.id);
    off();
    expect(events).toEqual(['tweet-created', 'request', 'tweet-created', 'request']);

    const tweets = (await (await fetch(`${standIn.apiRoot}/_standin/tweets`)).json()) as {
      data: XStandInTweet[];
    };
    expect(tweets.data.map((t) => t.text)).toEqual(['Root', 'Child']);
    const threads = (await (await fetch(`${standIn.apiRoot}/_standin/threads`)).json()) as {
      data: XStandInThread[];
    };
    expect(threads.data).toHaveLength(1);
    expect(threads.data[0]?.replies).toHaveLength(1);

    const added = await fetch(`${standIn.apiRoot}/_standin/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'POST /2/tweets', kind: 'http-503', times: 1 }),
    });
    expect(added.status).toBe(201);
    expect((await responseError(() => client.v2.tweet('Hits the fault'))).code).toBe(503);
    await expect(client.v2.tweet('Fault used up')).resolves.toBeDefined();
    expect(standIn.tweets().map((t) => t.text)).toEqual(['Root', 'Child', 'Fault used up']);

    await fetch(`${standIn.apiRoot}/_standin/reset`, { method: 'POST' });
    expect(standIn.tweets()).toEqual([]);
  });

  it('applies probabilistic faults reproducibly from the seed', async () => {
    const pattern = async (seed: number) => {
      const s = await startXStandIn({ faultSeed: seed, perWindow: 100 });
      try {
        s.faults.add({ method: 'GET /2/users/me', kind: 'http-500', probability: 0.5 });
        const c = standInClient(s);
        const out: number[] = [];
        for (let i = 0; i < 12; i += 1)
          out.push(
            await c.v2.me().then(
              () => 200,
              (e: ApiResponseError) => e.code,
            ),
          );
        return out;
      } finally {
        await s.close();
      }
    };
    const first = await pattern(42);
    expect(await pattern(42)).toEqual(first);
    expect(first).toContain(200);
    expect(first).toContain(500);
  });

  it('drop-before creates nothing; latency delays but succeeds', async () => {
    standIn.faults.add({ method: 'POST /2/tweets', kind: 'drop-before', times: 1 });
    await expect(client.v2.tweet('Dropped early')).rejects.toThrow();
    expect(standIn.tweets()).toEqual([]);

    standIn.faults.add({ method: 'POST /2/tweets', kind: 'latency', latencyMs: 150, times: 1 });
    const started = performance.now();
    await client.v2.tweet('Slow but fine');
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });
});
