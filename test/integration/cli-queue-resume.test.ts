import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deletePrefix, TEST_REDIS_URL, testRedis, uniquePrefix } from '../../harness/redis.js';
import { RedisStoryStore } from '../../src/adapters/redis/redis-story-store.js';
import { runCli } from '../../src/cli/run-cli.js';
import { loadConfig } from '../../src/config/load-config.js';
import { render } from '../../src/format/render.js';
import { readStoryFile } from '../../src/format/story-input.js';

// `regwire queue` stores a story, writes its drafts, then schedules it: a queue stopped between those
// writes (a crash, Redis gone) must not leave a story stored and never sent, refused as a duplicate by
// every later try. The same file queued again takes it up; a story already scheduled is still refused.
describe('regwire queue after a queue that stopped half-way', () => {
  let redis: Redis;
  let dir: string;
  let store: RedisStoryStore;
  const prefix = uniquePrefix('cli-resume');
  const env = { REDIS_URL: TEST_REDIS_URL, REGWIRE_QUEUE_PREFIX: prefix };
  const config = loadConfig({ env });
  let n = 0;

  beforeAll(async () => {
    redis = testRedis();
    store = new RedisStoryStore(redis, prefix);
    dir = await mkdtemp(path.join(tmpdir(), 'regwire-cli-resume-'));
  });
  afterAll(async () => {
    await deletePrefix(redis, prefix);
    redis.disconnect();
    await rm(dir, { recursive: true, force: true });
  });

  /** A story file, and the story as the CLI reads it (its id comes from its content). */
  async function storyFile() {
    n += 1;
    const file = path.join(dir, `story-${n}.json`);
    await writeFile(
      file,
      JSON.stringify({
        title: `MiCA: ESMA adds exchange number ${n} to its register`,
        body: `The register now lists ${n} more crypto-asset service providers.`,
        url: `https://news.example.com/mica-register-${n}`,
      }),
    );
    const { story } = readStoryFile(file, await readFile(file, 'utf8'), config.format);
    return { file, story };
  }

  async function run(...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env });
    return { code, out, err };
  }

  const states = async (id: string) =>
    Object.fromEntries((await store.publications(id)).map((p) => [p.destination, p.state]));
  const destinations = config.destinations.map((d) => d.id);

  it('a story stored with no drafts is taken up and scheduled on every destination, once', async () => {
    const { file, story } = await storyFile();
    // What a queue killed right after its first write leaves.
    const stored = await store.create({
      story,
      rendered: render(story, config.format),
      queuedAt: new Date().toISOString(),
      destinations,
    });
    expect(stored.created).toBe(true);
    expect(await store.publications(story.id)).toEqual([]);

    const again = await run('queue', file);
    expect(again).toMatchObject({ code: 0, out: [story.id] });
    expect(await states(story.id)).toEqual(Object.fromEntries(destinations.map((d) => [d, 'scheduled'])));
    expect((await store.history(story.id)).map((h) => h.action)).toContainEqual(
      'queued from the CLI (again: stored before but never scheduled)',
    );

    // Scheduled now: the same file is a duplicate, as any queued story.
    const third = await run('queue', file);
    expect(third.code).toBe(2);
    expect(third.err.join('\n')).toContain(`already queued as ${story.id}`);
    expect(await states(story.id)).toEqual(Object.fromEntries(destinations.map((d) => [d, 'scheduled'])));
  });

  it('a story with some of its drafts written is completed and scheduled', async () => {
    const { file, story } = await storyFile();
    const at = new Date().toISOString();
    await store.create({ story, rendered: render(story, config.format), queuedAt: at, destinations });
    const [first = 'telegram'] = destinations;
    await store.setPublication(story.id, { destination: first, state: 'draft', updatedAt: at });

    expect(await run('queue', file, '--now')).toMatchObject({ code: 0, out: [story.id] });
    expect(await states(story.id)).toEqual(Object.fromEntries(destinations.map((d) => [d, 'scheduled'])));
  });

  it('another story with the same link is still refused, and the first is left as it was', async () => {
    const { file, story } = await storyFile();
    expect((await run('queue', file)).code).toBe(0);
    const sameLink = path.join(dir, 'same-link.json');
    const text = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
    await writeFile(sameLink, JSON.stringify({ ...text, title: `${text.title} (updated)` }));
    const refused = await run('queue', sameLink);
    expect(refused.code).toBe(2);
    expect(refused.err.join('\n')).toContain(`already queued as ${story.id}`);
    expect(await states(story.id)).toEqual(Object.fromEntries(destinations.map((d) => [d, 'scheduled'])));
  });
});
