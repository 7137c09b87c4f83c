import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deletePrefix, TEST_REDIS_URL, testRedis, uniquePrefix } from '../../harness/redis.js';
import { RedisStoryStore } from '../../src/adapters/redis/redis-story-store.js';
import { runCli } from '../../src/cli/run-cli.js';

const HOUR_MS = 3_600_000;

// `regwire queue --embargo` and a story file's "embargo" reach every publication; `regwire status` shows it.
describe('regwire queue --embargo', () => {
  let redis: Redis;
  let dir: string;
  const prefix = uniquePrefix('cli-embargo');
  const env = { REDIS_URL: TEST_REDIS_URL, REGWIRE_QUEUE_PREFIX: prefix };
  let n = 0;

  beforeAll(async () => {
    redis = testRedis();
    dir = await mkdtemp(path.join(tmpdir(), 'regwire-cli-embargo-'));
  });
  afterAll(async () => {
    await deletePrefix(redis, prefix);
    redis.disconnect();
    await rm(dir, { recursive: true, force: true });
  });

  async function storyFile(extra: Record<string, unknown> = {}): Promise<string> {
    n += 1;
    const file = path.join(dir, `story-${n}.json`);
    const story = {
      title: `Hong Kong licenses its ${n}th virtual asset exchange`,
      body: `The SFC granted licence number ${n} under the VATP regime.`,
      url: `https://news.example.com/sfc-${n}`,
      ...extra,
    };
    await writeFile(file, JSON.stringify(story));
    return file;
  }

  async function run(...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env });
    return { code, out, err };
  }

  async function publications(storyId: string) {
    return new RedisStoryStore(redis, prefix).publications(storyId);
  }

  // An offset other than Z, as an editor in Berlin would type it.
  const berlin = (ms: number) => new Date(ms + HOUR_MS).toISOString().replace('.000Z', '+01:00');
  const inHours = (h: number) => Math.ceil((Date.now() + h * HOUR_MS) / 60_000) * 60_000;

  it('holds every destination until the flag, even with --now, and status shows it', async () => {
    const until = inHours(5);
    const queued = await run('queue', await storyFile(), '--now', '--embargo', berlin(until));
    expect(queued.code, queued.err.join('\n')).toBe(0);
    const [storyId = ''] = queued.out;
    expect(queued.err).toContain(
      `embargoed until ${new Date(until).toISOString()}: nothing goes out before it`,
    );
    const pubs = await publications(storyId);
    expect(pubs.map((p) => p.destination).sort()).toEqual(['telegram', 'x']);
    for (const pub of pubs) {
      expect(pub.embargoUntil).toBe(new Date(until).toISOString());
      expect(pub.state).toBe('scheduled');
      expect(Date.parse(pub.dueAt ?? '')).toBeGreaterThanOrEqual(until);
    }
    const status = await run('status', storyId);
    expect(status.code).toBe(0);
    const text = status.out.join('\n');
    expect(text).toMatch(
      new RegExp(`telegram: scheduled .*\\n  embargoed until ${new Date(until).toISOString()}`),
    );
    expect(text).toMatch(new RegExp(`x: scheduled .*\\n  embargoed until ${new Date(until).toISOString()}`));
  });

  it("takes the story file's embargo; with both, the later one holds and stderr says which", async () => {
    const fromFile = inHours(4);
    const fileOnly = await run('queue', await storyFile({ embargo: berlin(fromFile) }));
    expect(fileOnly.code, fileOnly.err.join('\n')).toBe(0);
    for (const pub of await publications(fileOnly.out[0] ?? ''))
      expect(pub.embargoUntil).toBe(new Date(fromFile).toISOString());

    const later = inHours(9);
    const flagWins = await run(
      'queue',
      await storyFile({ embargo: berlin(inHours(3)) }),
      '--embargo',
      berlin(later),
    );
    expect(flagWins.code, flagWins.err.join('\n')).toBe(0);
    expect(flagWins.err).toContain(
      `embargo: --embargo ${new Date(later).toISOString()} is later than the story file's`,
    );
    for (const pub of await publications(flagWins.out[0] ?? ''))
      expect(pub.embargoUntil).toBe(new Date(later).toISOString());

    const fileWins = await run(
      'queue',
      await storyFile({ embargo: berlin(later) }),
      '--embargo',
      berlin(inHours(2)),
    );
    expect(fileWins.code, fileWins.err.join('\n')).toBe(0);
    expect(fileWins.err[0]).toMatch(/^embargo: the story file's .* is later than --embargo$/);
    for (const pub of await publications(fileWins.out[0] ?? ''))
      expect(pub.embargoUntil).toBe(new Date(later).toISOString());
  });

  it('a bad --embargo exits 2 with one line and stores nothing', async () => {
    const keysBefore = await redis.keys(`${prefix}:*`);
    for (const [value, says] of [
      ['tomorrow', /^regwire: --embargo "tomorrow" is not an ISO time with its offset; e\.g\. --embargo /],
      ['2030-12-08T09:00:00', /^regwire: --embargo "2030-12-08T09:00:00" is not an ISO time with its offset/],
      ['2020-12-08T09:00:00+01:00', /^regwire: --embargo 2020-12-08T09:00:00\+01:00 is in the past/],
    ] as const) {
      const result = await run('queue', await storyFile(), '--embargo', value);
      expect(result.code, value).toBe(2);
      expect(result.out).toEqual([]);
      expect(result.err).toHaveLength(1);
      expect(result.err[0]).toMatch(says);
    }
    const missing = await run('queue', await storyFile(), '--embargo');
    expect(missing.code).toBe(2);
    expect(missing.err).toHaveLength(1);
    expect(await redis.keys(`${prefix}:*`)).toEqual(keysBefore);
  });
});
