import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TwitterApiXPublisher } from '../../../src/adapters/x/index.js';
import { PublishError } from '../../../src/errors/publish-error.js';
import { startXStandIn, X_SANDBOX_ACCOUNT, type XStandIn } from '../../../src/sandbox/standins/x/index.js';
import { caught } from '../../support/x-fixtures.js';

// The adapter against the stand-in's refusals (bodies pinned in test/contract/fixtures/x/): each is a
// refusal of its own, so the publish run can pause, stop or ask an editor as each one needs.

let standIn: XStandIn;
let x: TwitterApiXPublisher;

beforeAll(async () => {
  standIn = await startXStandIn();
  x = new TwitterApiXPublisher({ ...X_SANDBOX_ACCOUNT, apiRoot: standIn.apiRoot, timeoutMs: 2000 });
});
afterEach(() => standIn.reset());
afterAll(() => standIn.close());

const refusalOf = async (call: () => Promise<unknown>) => {
  const error = await caught(call);
  expect(error).toBeInstanceOf(PublishError);
  const { kind, refusal, status, retryable } = error as PublishError;
  return { kind, refusal, status, retryable };
};

describe('X refusals as error kinds', () => {
  it('out of credits: rate-limited with the credits-depleted refusal, for posts and reads alike', async () => {
    standIn.billing.runOut('credits');
    expect(await refusalOf(() => x.tweet('hello'))).toEqual({
      kind: 'rate-limited',
      refusal: 'credits-depleted',
      status: 402,
      retryable: true,
    });
    expect(await refusalOf(() => x.recentTweets(10))).toMatchObject({ refusal: 'credits-depleted' });
  });

  it('at the spending limit: rate-limited with the spend-cap refusal', async () => {
    standIn.billing.runOut('spend-cap');
    expect(await refusalOf(() => x.tweet('hello'))).toMatchObject({
      kind: 'rate-limited',
      refusal: 'spend-cap',
      status: 403,
    });
  });

  it('a reply refused by reply rules: permanent, reply-restricted', async () => {
    const root = await x.tweet('root');
    standIn.restrictReplies(root.id);
    expect(await refusalOf(() => x.tweet('reply', { replyToId: root.id }))).toEqual({
      kind: 'permanent',
      refusal: 'reply-restricted',
      status: 403,
      retryable: false,
    });
  });

  it('five images: permanent, too-many-media', async () => {
    expect(await refusalOf(() => x.tweet('Five charts', { mediaIds: ['1', '2', '3', '4', '5'] }))).toEqual({
      kind: 'permanent',
      refusal: 'too-many-media',
      status: 400,
      retryable: false,
    });
  });

  it('two cashtags: permanent, cashtag-limit', async () => {
    expect(await refusalOf(() => x.tweet('$BTC and $ETH'))).toMatchObject({
      kind: 'permanent',
      refusal: 'cashtag-limit',
    });
  });
});
