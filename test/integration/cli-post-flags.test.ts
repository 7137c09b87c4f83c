import { readFileSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS_OFF, standInEnv, writeDeliveryConfig } from '../../harness/delivery-config.js';
import { deletePrefix, TEST_REDIS_URL, testRedis, uniquePrefix } from '../../harness/redis.js';
import { RedisStoryStore } from '../../src/adapters/redis/redis-story-store.js';
import { type App, startApp } from '../../src/app/start-app.js';
import { runCli } from '../../src/cli/run-cli.js';
import { loadConfig } from '../../src/config/load-config.js';
import {
  type StandInMessage,
  startTelegramStandIn,
  type TelegramStandIn,
} from '../../src/sandbox/standins/telegram/index.js';
import { silentLogger } from '../../src/util/logger.js';
import { waitFor } from '../support/wait-for.js';

// `regwire queue --silent/--loud, --protect/--unprotected` and a story file's "silent"/"protect", through the
// real CLI code and the publish workers on real Redis; what Telegram received (`disable_notification`,
// `protect_content`) is read back from the stand-in's record of the channel's messages.
describe('regwire queue: how the channel post goes out', () => {
  let redis: Redis;
  let telegram: TelegramStandIn;
  let app: App;
  let env: Record<string, string>;
  let config: { dir: string; remove: () => void };
  const prefix = uniquePrefix('cli-post-flags');
  let n = 0;

  beforeAll(async () => {
    redis = testRedis();
    telegram = await startTelegramStandIn({ floodLimits: false });
    config = writeDeliveryConfig({ only: ['telegram'], ...LIMITS_OFF });
    // The channel's own default: silent, forwardable. A story's choice overrides each flag.
    const file = path.join(config.dir, 'regwire.json');
    const regwire = JSON.parse(readFileSync(file, 'utf8'));
    regwire.destinations.telegram.post = { silent: true, protectContent: false };
    writeFileSync(file, JSON.stringify(regwire));
    env = standInEnv({ redisUrl: TEST_REDIS_URL, prefix, configDir: config.dir, telegram });
    app = await startApp(loadConfig({ env }), silentLogger, {
      roles: { workers: true, web: false, maintenance: false },
      shutdownGraceMs: 500,
    });
  });
  afterAll(async () => {
    await app?.close();
    await telegram?.close();
    await deletePrefix(redis, prefix);
    redis.disconnect();
    config?.remove();
  });

  async function storyFile(extra: Record<string, unknown> = {}): Promise<{ file: string; title: string }> {
    n += 1;
    const file = path.join(config.dir, `story-${n}.json`);
    const title = `Regulator ${n} publishes its stablecoin rulebook`;
    const story = {
      title,
      body: `The regulator published rulebook number ${n} on Tuesday, after a year of consultation.`,
      url: `https://news.example.com/rulebook-${n}`,
      ...extra,
    };
    await writeFile(file, JSON.stringify(story));
    return { file, title };
  }

  async function run(...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env });
    return { code, out, err };
  }

  /** Queues with `--now`, waits until the post is out, and returns what the channel received. */
  async function queueAndSend(
    file: string,
    title: string,
    flags: readonly string[],
  ): Promise<{ storyId: string; err: string[]; sent: StandInMessage }> {
    const queued = await run('queue', file, '--now', ...flags);
    expect(queued.code, queued.err.join('\n')).toBe(0);
    const [storyId = ''] = queued.out;
    const store = new RedisStoryStore(redis, prefix);
    await waitFor(async () => (await store.publications(storyId))[0]?.state === 'published', {
      what: `${storyId} on the channel`,
    });
    const sent = telegram.messages('@regwire_sandbox').find((m) => m.text?.startsWith(title));
    if (!sent) throw new Error(`${title} is not on the channel`);
    return { storyId, err: queued.err, sent };
  }

  const flagsOf = (m: StandInMessage) => ({
    silent: m.disable_notification === true,
    protected: m.protect_content === true,
  });

  it("--loud and the file's protect override the channel's default; stderr and status say so", async () => {
    const { file, title } = await storyFile({ protect: true });
    const { storyId, err, sent } = await queueAndSend(file, title, ['--loud']);
    expect(flagsOf(sent)).toEqual({ silent: false, protected: true });
    const said =
      'on Telegram: sent with a notification, even in quiet hours; protected (cannot be forwarded or saved)';
    expect(err).toContain(said);
    const status = await run('status', storyId);
    expect(status.code).toBe(0);
    expect(status.out.join('\n').split('\n')).toContain(said);
  });

  it("a flag wins over the story file; what neither says follows the channel's default", async () => {
    const { file, title } = await storyFile({ protect: true, silent: false });
    const { sent } = await queueAndSend(file, title, ['--unprotected', '--silent']);
    expect(flagsOf(sent)).toEqual({ silent: true, protected: false });

    const plain = await storyFile();
    const { storyId, err, sent: plainSent } = await queueAndSend(plain.file, plain.title, ['--protect']);
    expect(flagsOf(plainSent)).toEqual({ silent: true, protected: true });
    expect(err).toContain(
      'on Telegram: notification as the channel sets it; protected (cannot be forwarded or saved)',
    );

    const none = await storyFile();
    const { storyId: noneId, sent: noneSent } = await queueAndSend(none.file, none.title, []);
    expect(flagsOf(noneSent)).toEqual({ silent: true, protected: false });
    const status = await run('status', noneId);
    expect(status.out.join('\n')).not.toContain('on Telegram:');
    expect(storyId).not.toBe(noneId);
  });

  it('both of a pair, or a flag in the file that is not true or false, exits 2 with one line and stores nothing', async () => {
    const keysBefore = (await redis.keys(`${prefix}:*`)).sort();
    for (const [flags, extra, says] of [
      [['--silent', '--loud'], {}, 'regwire: give one of --silent, --loud'],
      [['--protect', '--unprotected'], {}, 'regwire: give one of --protect, --unprotected'],
      [[], { silent: 'yes' }, 'silent must be true or false'],
    ] as const) {
      const { file } = await storyFile(extra);
      const result = await run('queue', file, '--now', ...flags);
      expect(result.code).toBe(2);
      expect(result.out).toEqual([]);
      expect(result.err).toEqual([
        says.startsWith('regwire:') ? says : `regwire: ${path.basename(file)}: ${says}`,
      ]);
    }
    expect((await redis.keys(`${prefix}:*`)).sort()).toEqual(keysBefore);
  });
});
