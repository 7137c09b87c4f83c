import type { TwitterApi } from 'twitter-api-v2';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TINY_PNG } from '../../../harness/feed-fixtures.js';
import { startXStandIn, X_SANDBOX_ACCOUNT, type XStandIn } from '../../../src/sandbox/standins/x/index.js';
import { docFixture, shapeOf, T_CO_LINK, withoutShortCodes } from '../../support/doc-fixtures.js';
import { standInClient } from '../../support/x-fixtures.js';

// The stand-in answers checked against the examples of X's own documentation (test/contract/fixtures/x/).

interface Fixture<T> {
  readonly source: string;
  readonly response: T;
}
type PostJson = Record<string, unknown> & { id: string; text: string };
type Page = { data: PostJson[]; meta: Record<string, unknown>; includes?: { tweets: PostJson[] } };

const createPost = docFixture<Fixture<{ data: PostJson }>>('x/create-post-response.json');
const defaults = docFixture<{ source: string; defaultFields: string[] }>('x/default-post-fields.json');
const escaped = docFixture<Fixture<PostJson>>('x/escaped-text-with-link.json');
const replyWithMedia = docFixture<
  Fixture<Page> & { request: { 'tweet.fields': string; expansions: string } }
>('x/reply-with-media.json');
const timelinePage = docFixture<Fixture<Page>>('x/timeline-page.json');
const serverError = docFixture<{ source: string; statuses: number[]; problem: Record<string, string> }>(
  'x/server-error-problem.json',
);
const duplicate = docFixture<Fixture<Record<string, unknown>> & { status: number }>(
  'x/duplicate-content-403.json',
);

const USER = X_SANDBOX_ACCOUNT.userId;

async function getJson(
  client: TwitterApi,
  path: string,
  query: Record<string, string> = {},
): Promise<Record<string, unknown>> {
  return (await client.v2.get(path, query)) as Record<string, unknown>;
}

describe.each([false, true])('X stand-in with textFidelity %s: documented shapes', (textFidelity) => {
  let standIn: XStandIn;
  let client: TwitterApi;
  beforeAll(async () => {
    standIn = await startXStandIn({ textFidelity });
    client = standInClient(standIn);
  });
  afterEach(() => standIn.reset());
  afterAll(() => standIn.close());

  it('answers POST /2/tweets with at least the documented data fields', async () => {
    const created = (await client.v2.tweet('Shape of a created post')) as unknown as { data: PostJson };
    expect(shapeOf(created)).toMatchObject(shapeOf(createPost.response) as object);
    expect(created.data.id).toMatch(/^[0-9]{1,19}$/);
  });

  it('returns exactly the default fields when none are asked for, on lookup and timeline', async () => {
    const created = await client.v2.tweet('Defaults only');
    const lookup = (await getJson(client, `tweets/${created.data.id}`)) as { data: PostJson };
    expect(Object.keys(lookup.data).sort()).toEqual([...defaults.defaultFields].sort());
    const timeline = (await getJson(client, `users/${USER}/tweets`, { max_results: '5' })) as Page;
    expect(Object.keys(timeline.data[0] ?? {}).sort()).toEqual([...defaults.defaultFields].sort());
  });

  it('pages a timeline in the documented shape, next_token only while more remain', async () => {
    for (let i = 0; i < 6; i += 1) await client.v2.tweet(`Timeline post ${i}`);
    const first = (await getJson(client, `users/${USER}/tweets`, { max_results: '5' })) as Page;
    expect(shapeOf(first)).toEqual(shapeOf(timelinePage.response));
    const last = (await getJson(client, `users/${USER}/tweets`, {
      max_results: '5',
      pagination_token: String(first.meta.next_token),
    })) as Page;
    expect(last.meta).not.toHaveProperty('next_token');
  });

  it('shows referenced_tweets and in_reply_to_user_id only when asked for, by field or expansion', async () => {
    const root = await client.v2.tweet('Root post');
    const reply = await client.v2.reply('A reply', root.data.id);
    const plain = (await getJson(client, `tweets/${reply.data.id}`)) as { data: PostJson };
    expect(plain.data).not.toHaveProperty('referenced_tweets');
    expect(plain.data).not.toHaveProperty('in_reply_to_user_id');

    const byField = (await getJson(client, `tweets/${reply.data.id}`, {
      'tweet.fields': 'referenced_tweets,in_reply_to_user_id',
    })) as { data: PostJson };
    expect(byField.data).toMatchObject({
      referenced_tweets: [{ type: 'replied_to', id: root.data.id }],
      in_reply_to_user_id: USER,
    });

    const byExpansion = (await getJson(client, `tweets/${reply.data.id}`, {
      expansions: 'referenced_tweets.id',
    })) as { data: PostJson; includes?: { tweets: PostJson[] } };
    expect(byExpansion.data.referenced_tweets).toEqual([{ type: 'replied_to', id: root.data.id }]);
    expect(byExpansion.data).not.toHaveProperty('in_reply_to_user_id');
    expect(byExpansion.includes?.tweets.map((t) => t.id)).toEqual([root.data.id]);
  });

  it.each(serverError.statuses)('answers a documented %i as an about:blank problem', async (status) => {
    standIn.faults.add({ method: 'POST /2/tweets', kind: `http-${status}` as 'http-500', times: 1 });
    const response = await fetch(`${standIn.apiRoot}/2/tweets`, { method: 'POST' });
    expect(response.status).toBe(status);
    const body = (await response.json()) as Record<string, unknown>;
    expect(shapeOf(body)).toMatchObject(shapeOf(serverError.problem) as object);
    expect(body.type).toBe(serverError.problem.type);
  });

  it('refuses duplicate content with the body X sends', async () => {
    await client.v2.tweet('Said once');
    const response = await client.v2.tweet('Said once').then(
      () => undefined,
      (error: { code: number; data: unknown }) => error,
    );
    expect(response?.code).toBe(duplicate.status);
    expect(response?.data).toEqual(duplicate.response);
  });
});

describe('X stand-in with textFidelity: the text X returns', () => {
  let standIn: XStandIn;
  let client: TwitterApi;
  beforeAll(async () => {
    standIn = await startXStandIn({ textFidelity: true });
    client = standInClient(standIn);
  });
  afterEach(() => standIn.reset());
  afterAll(() => standIn.close());

  it('every t.co link in the documentation has the form the stand-in produces', () => {
    const texts = [
      createPost.response.data.text,
      escaped.response.text,
      ...replyWithMedia.response.data.map((t) => t.text),
      ...(replyWithMedia.response.includes?.tweets ?? []).map((t) => t.text),
    ];
    const links = texts.flatMap((text) => text.match(/https:\/\/t\.co\/\S+/g) ?? []);
    expect(links.length).toBeGreaterThanOrEqual(4);
    for (const link of links) expect(link).toMatch(T_CO_LINK);
  });

  it('escapes & < > and shortens the link, as in the documented example', async () => {
    // The documented text, as its author typed it: '&' unescaped, the link before X shortened it.
    const typed = escaped.response.text
      .replaceAll('&amp;', '&')
      .replace(/https:\/\/t\.co\/\S+/, 'https://developer.x.com/en/docs/x-api');
    const created = await client.v2.tweet(typed);
    expect(withoutShortCodes(created.data.text)).toBe(withoutShortCodes(escaped.response.text));

    const timeline = await client.v2.userTimeline(USER, { max_results: 5 });
    expect(timeline.tweets.map((t) => withoutShortCodes(t.text))).toEqual([
      withoutShortCodes(escaped.response.text),
    ]);
    // The inspection record keeps what was posted.
    expect(standIn.tweets()[0]).toMatchObject({ text: typed, returned_text: created.data.text });
  });

  it('escapes < and > too, and gives bare domains and links each their own t.co link', async () => {
    const created = await client.v2.tweet(
      'MiCA <update> for Crypto.com & others: https://example.com/a?b=1&c=2 via esma.europa.eu',
    );
    const links = created.data.text.match(/https:\/\/t\.co\/\S+/g) ?? [];
    expect(links).toHaveLength(3);
    expect(new Set(links).size).toBe(3);
    expect(withoutShortCodes(created.data.text)).toBe(
      'MiCA &lt;update&gt; for https://t.co/CODE &amp; others: https://t.co/CODE via https://t.co/CODE',
    );

    const lookup = (await getJson(client, `tweets/${created.data.id}`, { 'tweet.fields': 'entities' })) as {
      data: {
        text: string;
        entities: { urls: { start: number; end: number; url: string; expanded_url: string }[] };
      };
    };
    expect(lookup.data.entities.urls.map((u) => u.expanded_url)).toEqual([
      'http://Crypto.com',
      'https://example.com/a?b=1&c=2',
      'http://esma.europa.eu',
    ]);
    const chars = [...lookup.data.text];
    for (const url of lookup.data.entities.urls) {
      expect(chars.slice(url.start, url.end).join('')).toBe(url.url);
    }
  });

  it('appends the media link to a reply with a photo, in the documented shape', async () => {
    const root = await client.v2.tweet('Thread root');
    const mediaId = await client.v2.uploadMedia(Buffer.from(TINY_PNG), {
      media_type: 'image/png',
      media_category: 'tweet_image',
    });
    const reply = await client.v2.tweet('Chart of the week', {
      reply: { in_reply_to_tweet_id: root.data.id },
      media: { media_ids: [mediaId] },
    });
    expect(reply.data.text).toMatch(/^Chart of the week https:\/\/t\.co\/[A-Za-z0-9]{10}$/);

    // The documented example used the multi-id lookup; the stand-in serves the single one, same post shape.
    const single = (await getJson(client, `tweets/${reply.data.id}`, replyWithMedia.request)) as {
      data: PostJson;
      includes: { tweets: PostJson[] };
    };
    const documented = replyWithMedia.response;
    expect(shapeOf(single.data)).toEqual(shapeOf(documented.data[0]));
    expect(shapeOf(single.includes)).toEqual(shapeOf(documented.includes));

    const [link] = (single.data.entities as { urls: Record<string, string>[] }).urls;
    const mediaKeys = (single.data.attachments as { media_keys: string[] }).media_keys;
    expect(link?.media_key).toBe(mediaKeys[0]);
    expect(link?.display_url).toBe(`pic.x.com/${link?.url?.slice('https://t.co/'.length)}`);
    expect(link?.expanded_url).toBe(
      `https://x.com/${X_SANDBOX_ACCOUNT.username}/status/${reply.data.id}/photo/1`,
    );
    expect(single.data.text.endsWith(` ${link?.url}`)).toBe(true);
  });

  it('a tweet with only a photo is only its media link', async () => {
    const mediaId = await client.v2.uploadMedia(Buffer.from(TINY_PNG), {
      media_type: 'image/png',
      media_category: 'tweet_image',
    });
    const created = await client.v2.tweet({ media: { media_ids: [mediaId] } });
    expect(created.data.text).toMatch(T_CO_LINK);
  });
});
