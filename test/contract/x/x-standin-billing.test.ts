import { ApiResponseError, type TwitterApi } from 'twitter-api-v2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { xPricingSchema } from '../../../src/config/x-billing-schema.js';
import { startXStandIn, X_SANDBOX_ACCOUNT, type XStandIn } from '../../../src/sandbox/standins/x/index.js';
import { docFixture, shapeOf } from '../../support/doc-fixtures.js';
import { caught, standInClient, X_SECOND_ACCOUNT } from '../../support/x-fixtures.js';

// The stand-in bills like X's pay-per-use pricing and refuses like X when the account cannot pay, with
// the bodies pinned in test/contract/fixtures/x/ (each naming where it was found).

interface Refusal {
  readonly source: string;
  readonly status: number;
  readonly response: Record<string, unknown>;
}
const creditsDepleted = docFixture<Refusal>('x/credits-depleted-402.json');
const spendCap = docFixture<Refusal>('x/spend-cap-403.json');
const replyRestricted = docFixture<Refusal>('x/reply-restricted-403.json');
const cashtags = docFixture<Refusal>('x/cashtag-limit-403.json');
const tooManyMedia = docFixture<Refusal>('x/too-many-media-400.json');
const PRICES = xPricingSchema.parse({});
const PREMIUM = { ...X_SECOND_ACCOUNT, maxWeightedLength: 25_000 };

describe('X stand-in billing', () => {
  let standIn: XStandIn;
  let client: TwitterApi;

  beforeAll(async () => {
    standIn = await startXStandIn({ accounts: [X_SANDBOX_ACCOUNT, PREMIUM] });
    client = standInClient(standIn);
  });
  afterAll(() => standIn.close());
  beforeEach(() => standIn.reset());

  it('bills each post at the create price, or the with-URL price when its text holds a link', async () => {
    const root = await client.v2.tweet('SEC sues an exchange');
    const reply = await client.v2.reply('Filing runs to 41 pages.', root.data.id);
    await client.v2.reply('Full story: https://example.com/sec', reply.data.id);
    await client.v2.tweet('Crypto.com fined in Dubai');
    const { charges, spentUsd } = standIn.billing.state();
    expect(charges.map((c) => [c.kind, c.usd])).toEqual([
      ['create', PRICES.createUsd],
      ['create', PRICES.createUsd],
      ['create-with-url', PRICES.createWithUrlUsd],
      ['create-with-url', PRICES.createWithUrlUsd],
    ]);
    expect(spentUsd).toBe(0.43);
  });

  it('bills reads per post returned, the own timeline at the owned price, each post once a day', async () => {
    for (const text of ['one', 'two', 'three']) await client.v2.tweet(text);
    const before = standIn.billing.state().spentUsd;
    await client.v2.userTimeline(X_SANDBOX_ACCOUNT.userId, { max_results: 5 });
    const afterOwn = standIn.billing.state();
    expect(afterOwn.charges.at(-1)).toMatchObject({ kind: 'owned-post-read', units: 3, usd: 0.003 });
    await client.v2.userTimeline(X_SANDBOX_ACCOUNT.userId, { max_results: 5 });
    expect(standIn.billing.state().spentUsd).toBe(afterOwn.spentUsd);
    expect(afterOwn.spentUsd).toBe(before + 0.003);
  });

  it('out of credits: 402 CreditsDepleted as X sends it, nothing posted or billed, until a top-up', async () => {
    standIn.billing.setBalance(0.03);
    await client.v2.tweet('first');
    await client.v2.tweet('second');
    expect(standIn.billing.state().balanceUsd).toBe(0);
    const error = await caught(() => client.v2.tweet('third'));
    expect(error).toBeInstanceOf(ApiResponseError);
    const refused = error as ApiResponseError;
    expect(refused.code).toBe(creditsDepleted.status);
    expect(shapeOf(refused.data)).toEqual(shapeOf(creditsDepleted.response));
    expect(refused.data).toMatchObject({ title: 'CreditsDepleted', type: creditsDepleted.response.type });
    // Reads are refused too.
    expect(((await caught(() => client.v2.me())) as ApiResponseError).code).toBe(402);
    expect(standIn.tweets().map((t) => t.text)).toEqual(['first', 'second']);
    expect(standIn.billing.state().charges).toHaveLength(2);

    standIn.billing.topUp(5);
    await client.v2.tweet('third');
    expect(standIn.tweets().map((t) => t.text)).toEqual(['first', 'second', 'third']);
  });

  it('a balance may go slightly negative, as on X; the next request is refused', async () => {
    standIn.billing.setBalance(0.1);
    await client.v2.tweet('See https://example.com');
    expect(standIn.billing.state().balanceUsd).toBe(-0.1);
    expect(((await caught(() => client.v2.tweet('more'))) as ApiResponseError).code).toBe(402);
  });

  it('at the spending limit: 403 SpendCapReached with the reset date; lifting it resumes', async () => {
    standIn.billing.setSpendingLimit(0.015);
    await client.v2.tweet('one');
    const refused = (await caught(() => client.v2.tweet('two'))) as ApiResponseError;
    expect(refused.code).toBe(spendCap.status);
    expect(shapeOf(refused.data)).toEqual(shapeOf(spendCap.response));
    expect(refused.data).toMatchObject({ title: 'SpendCapReached' });
    standIn.billing.setSpendingLimit(null);
    await client.v2.tweet('two');
  });

  it('runs out and tops up through /_standin/billing', async () => {
    const post = (body: unknown) =>
      fetch(`${standIn.apiRoot}/_standin/billing`, { method: 'POST', body: JSON.stringify(body) });
    expect((await post({ runOut: 'credits' })).status).toBe(200);
    expect(((await caught(() => client.v2.tweet('x'))) as ApiResponseError).code).toBe(402);
    expect((await post({ topUpUsd: 1 })).status).toBe(200);
    await client.v2.tweet('x');
    const state = (await (await fetch(`${standIn.apiRoot}/_standin/billing`)).json()) as {
      data: { balanceUsd: number; spentUsd: number };
    };
    expect(state.data).toMatchObject({ balanceUsd: 0.985, spentUsd: 0.015 });
    expect((await post({ runOut: 'nothing' })).status).toBe(400);
  });

  it('refuses a reply its target’s reply rules forbid, with X’s 403, billing nothing', async () => {
    const root = await client.v2.tweet('Root');
    standIn.restrictReplies(root.data.id);
    const refused = (await caught(() => client.v2.reply('Reply', root.data.id))) as ApiResponseError;
    expect(refused.code).toBe(replyRestricted.status);
    expect(refused.data).toEqual(replyRestricted.response);
    expect(standIn.billing.state().charges).toHaveLength(1);
  });

  it('refuses more than one cashtag with X’s 403', async () => {
    const refused = (await caught(() => client.v2.tweet('$BTC and $ETH slide'))) as ApiResponseError;
    expect(refused.code).toBe(cashtags.status);
    expect(refused.data).toEqual(cashtags.response);
    await client.v2.tweet('$BTC and ETH slide');
  });

  it('refuses more than four media on a post with X’s 400', async () => {
    const media = { media_ids: ['1', '2', '3', '4', '5'] } as unknown as { media_ids: [string] };
    const refused = (await caught(() => client.v2.tweet({ text: 'Five charts', media }))) as ApiResponseError;
    expect(refused.code).toBe(tooManyMedia.status);
    expect(refused.data).toEqual(tooManyMedia.response);
    expect(standIn.billing.state().charges).toEqual([]);
  });

  it('takes posts up to 25,000 weighted characters from a Premium account, 280 from others', async () => {
    const long = `${'Regulators met. '.repeat(100)}End.`;
    const premium = standInClient(standIn, PREMIUM);
    await premium.v2.tweet(long);
    expect(((await caught(() => client.v2.tweet(long))) as ApiResponseError).code).toBe(400);
  });
});
