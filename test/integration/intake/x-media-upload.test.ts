import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TINY_PNG } from '../../../harness/feed-fixtures.js';
import { xPartSender } from '../../../jobs/part-sender.js';
import { TwitterApiXPublisher } from '../../../src/adapters/x/index.js';
import type { StoryRecord } from '../../../src/domain/publication.js';
import { PublishError } from '../../../src/errors/publish-error.js';
import { fetchImage } from '../../../src/intake/image-fetch.js';
import {
  startXStandIn,
  X_SANDBOX_ACCOUNT,
  type XStandIn,
  type XStandInAccount,
} from '../../../src/sandbox/standins/x/index.js';
import { type FeedServer, startFeedServer } from '../../support/feed-server.js';

const OTHER: XStandInAccount = {
  ...X_SANDBOX_ACCOUNT,
  appKey: 'other-app-key',
  accessToken: '2000000000000000002-othertoken',
  userId: '2000000000000000002',
  username: 'other_account',
};

describe('X media upload (stand-in + adapter)', () => {
  let x: XStandIn;
  let web: FeedServer;
  let publisher: TwitterApiXPublisher;
  let other: TwitterApiXPublisher;

  beforeAll(async () => {
    x = await startXStandIn({ accounts: [X_SANDBOX_ACCOUNT, OTHER] });
    web = await startFeedServer();
    publisher = new TwitterApiXPublisher({ ...X_SANDBOX_ACCOUNT, apiRoot: x.apiRoot, timeoutMs: 5_000 });
    other = new TwitterApiXPublisher({ ...OTHER, apiRoot: x.apiRoot, timeoutMs: 5_000 });
  });
  beforeEach(() => x.reset());
  afterAll(async () => {
    await x?.close();
    await web?.close();
  });

  it('uploads a PNG through initialize/append/finalize and attaches it to a tweet', async () => {
    const mediaId = await publisher.uploadImage({ bytes: TINY_PNG, mimeType: 'image/png' });
    expect(mediaId).toMatch(/^\d{1,19}$/);
    expect(x.media()).toEqual([
      expect.objectContaining({
        id: mediaId,
        ownerId: X_SANDBOX_ACCOUNT.userId,
        finalized: true,
        totalBytes: TINY_PNG.length,
      }),
    ]);
    const tweet = await publisher.tweet('SEC fines exchange', { mediaIds: [mediaId] });
    expect(x.tweets().find((t) => t.id === tweet.id)?.media_ids).toEqual([mediaId]);
  });

  it('refuses a file whose bytes are not the declared type, and one over 5 MB', async () => {
    const notPng = Buffer.from('<html>not an image</html>');
    await expect(publisher.uploadImage({ bytes: notPng, mimeType: 'image/png' })).rejects.toBeInstanceOf(
      PublishError,
    );
    await expect(publisher.uploadImage({ bytes: TINY_PNG, mimeType: 'image/bmp' })).rejects.toThrow(
      /not supported|400/,
    );
    const big = Buffer.concat([TINY_PNG, Buffer.alloc(5 * 1024 * 1024)]);
    await expect(publisher.uploadImage({ bytes: big, mimeType: 'image/png' })).rejects.toThrow(/exceeds|400/);
    expect(x.media().filter((m) => m.finalized)).toEqual([]);
  });

  it('only accepts media ids it issued to the same account', async () => {
    const mine = await publisher.uploadImage({ bytes: TINY_PNG, mimeType: 'image/png' });
    await expect(other.tweet('borrowed image', { mediaIds: [mine] })).rejects.toThrow(
      /media IDs are invalid|400/,
    );
    await expect(publisher.tweet('made-up image', { mediaIds: ['1234567890'] })).rejects.toThrow(
      /media IDs are invalid|400/,
    );
    expect(x.tweets()).toEqual([]);
  });

  it('the first tweet of a thread carries the story image; a failing image leaves the text alone', async () => {
    web.set('/img.png', { body: TINY_PNG, contentType: 'image/png' });
    const skipped: string[] = [];
    const sender = xPartSender(
      publisher,
      {},
      {
        fetch: (url, signal) => fetchImage(url, { timeoutMs: 2_000, ...(signal ? { signal } : {}) }),
        onSkipped: (info) => skipped.push(info.reason),
      },
    );
    const record = (imageUrl: string, text: string): StoryRecord =>
      ({
        story: { id: 'abcd1234', title: 't', body: '', tags: [], changes: [], imageUrl },
        rendered: { story: {} as never, telegram: [], x: [{ text }, { text: `${text} (2)` }] },
        queuedAt: new Date().toISOString(),
        destinations: ['x'],
      }) as StoryRecord;

    const withImage = record(web.url('/img.png'), 'First tweet with image');
    const first = await sender.send(withImage, 0, undefined);
    await sender.send(withImage, 1, first);
    const [root, reply] = x.tweets();
    expect(root?.media_ids).toHaveLength(1);
    expect(reply?.media_ids).toBeUndefined();

    const broken = record(web.url('/missing.png'), 'Tweet whose image is gone');
    await sender.send(broken, 0, undefined);
    expect(x.tweets().at(-1)).toMatchObject({ text: 'Tweet whose image is gone' });
    expect(x.tweets().at(-1)?.media_ids).toBeUndefined();
    expect(skipped[0]).toMatch(/HTTP 404/);
  });
});
