import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniquePrefix } from '../../harness/redis.js';
import { standInEnv } from '../../harness/stand-in-env.js';
import type { App } from '../../src/app/start-app.js';
import { runCli } from '../../src/cli/run-cli.js';
import { loadConfig } from '../../src/config/load-config.js';
import { startTelegramStandIn, type TelegramStandIn } from '../../src/sandbox/standins/telegram/index.js';
import { startXStandIn, type XStandIn } from '../../src/sandbox/standins/x/index.js';
import { SHARED_SAMPLE_PATH } from '../support/shared-sample.js';
import { type StandInApp, startStandInApp } from '../support/stand-in-app.js';
import { waitFor } from '../support/wait-for.js';

// The whole flow against stand-ins reached only through the documented environment variables, as an
// operator would point regwire at any Bot API- and X-compatible servers.
describe('a story travels end to end', () => {
  let telegram: TelegramStandIn;
  let x: XStandIn;
  let rig: StandInApp | undefined;
  let app: App;
  let env: Record<string, string>;
  const prefix = uniquePrefix('e2e');

  beforeAll(async () => {
    telegram = await startTelegramStandIn();
    x = await startXStandIn();
    env = standInEnv({ prefix, telegram, x });
    rig = await startStandInApp({ prefix, telegram, x, config: loadConfig({ env }) });
    app = rig.app;
  });

  afterAll(async () => {
    await rig?.close();
  });

  it('queue --now puts the channel post and a chained thread on the platforms, with records in Redis', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['queue', SHARED_SAMPLE_PATH, '--now'], {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      env,
    });
    expect(code).toBe(0);
    // The plan goes to stderr, one line per destination.
    expect(err).toEqual([
      expect.stringMatching(/^telegram: due \d{4}-/),
      expect.stringMatching(/^x: due \d{4}-/),
    ]);
    const storyId = out[0] ?? '';
    expect(storyId).toMatch(/^[0-9a-z]{8}$/);

    const record = await app.services.store.get(storyId);
    expect(record).toBeDefined();
    const expectedTweets = record?.rendered.x.length ?? 0;
    expect(expectedTweets).toBeGreaterThan(1);

    const posts = await waitFor(
      () => {
        const m = telegram.messages('@regwire_sandbox');
        return m.length > 0 && m;
      },
      { what: 'the channel post' },
    );
    expect(posts).toHaveLength(1);
    expect(posts[0]?.text ?? posts[0]?.caption).toContain('Beijing Intensifies Crackdown');

    const thread = await waitFor(
      () => {
        const t = x.threads();
        return t.length === 1 && t[0] && t[0].replies.length === expectedTweets - 1 && t[0];
      },
      { what: 'the whole thread' },
    );
    const chain = [thread.root, ...thread.replies];
    chain.forEach((tweet, i) => {
      expect(tweet.text).toBe(record?.rendered.x[i]?.text);
      if (i > 0) expect(tweet.in_reply_to_tweet_id).toBe(chain[i - 1]?.id);
    });
    // Paced by the configured thread spacing (250 ms between tweets): reservations are spaced exactly,
    // arrivals jitter with request latency, so the span of the whole thread is what is checked.
    const span =
      Date.parse(chain[chain.length - 1]?.created_at ?? '') - Date.parse(chain[0]?.created_at ?? '');
    expect(span).toBeGreaterThanOrEqual((chain.length - 1) * 250 - 100);

    await waitFor(
      async () => (await app.services.store.publications(storyId)).every((p) => p.state === 'published'),
      {
        what: 'both publications published',
      },
    );
    const xParts = await app.services.store.parts(storyId, 'x');
    expect(xParts.map((p) => [p.state, p.remoteId])).toEqual(chain.map((t) => ['sent', t.id]));
    const tgParts = await app.services.store.parts(storyId, 'telegram');
    expect(tgParts.map((p) => [p.state, p.remoteId])).toEqual([['sent', String(posts[0]?.message_id)]]);

    const status: string[] = [];
    expect(await runCli(['status', storyId], { out: (l) => status.push(l), err: () => undefined, env })).toBe(
      0,
    );
    expect(status.join('\n')).toMatch(/telegram: published/);
    expect(status.join('\n')).toMatch(
      new RegExp(`part 2: sent .* id ${chain[1]?.id} reply-to ${chain[0]?.id}`),
    );
  });

  it('refuses the same story queued twice, naming the first', async () => {
    const err: string[] = [];
    const code = await runCli(['queue', SHARED_SAMPLE_PATH], {
      out: () => undefined,
      err: (l) => err.push(l),
      env,
    });
    expect(code).toBe(2);
    expect(err[0]).toMatch(/already queued as [0-9a-z]{8}/);
    expect(telegram.messages('@regwire_sandbox')).toHaveLength(1);
  });
});
