import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deletePrefix, TEST_REDIS_URL, testRedis, uniquePrefix } from '../../harness/redis.js';
import { createDeskServices, type DeskServices } from '../../src/app/desk-services.js';
import { loadConfig } from '../../src/config/load-config.js';
import { containsUrl } from '../../src/format/x-cost.js';
import { silentLogger } from '../../src/util/logger.js';

const editor = { kind: 'editor', id: 42, name: '@alice' } as const;
const URL = 'https://news.example.com/sec-link';
const STORY = {
  title: 'SEC sues exchange over staking',
  body: Array.from(
    { length: 6 },
    (_, i) =>
      `Paragraph ${i + 1}: the regulator says the exchange ran an unregistered staking service for years.`,
  ).join('\n\n'),
  url: URL,
};

// An editor's link policy for one story, on the desk over real Redis.
describe('choosing where a story’s link goes on X', () => {
  let redis: Redis;
  let prefix: string;
  let services: DeskServices;

  beforeAll(() => {
    redis = testRedis();
  });
  afterAll(() => redis.disconnect());
  afterEach(async () => {
    await services?.close();
    await deletePrefix(redis, prefix);
  });

  it('re-renders the thread with the choice, keeps it through an edit, and records who chose', async () => {
    prefix = uniquePrefix('xlink');
    const config = loadConfig({ env: { REDIS_URL: TEST_REDIS_URL, REGWIRE_QUEUE_PREFIX: prefix } });
    services = createDeskServices(config, redis, silentLogger);
    const draft = await services.desk.createDraft(STORY, editor);
    if (!draft.ok) throw new Error(draft.error);
    const id = draft.value.story.id;
    const withUrl = (x: readonly { text: string }[]) =>
      x.flatMap((p, i) => (containsUrl(p.text) ? [i + 1] : []));
    expect(withUrl(draft.value.rendered.x)).toEqual([draft.value.rendered.x.length]);

    const none = await services.desk.setXLink(id, 'none', editor);
    if (!none.ok) throw new Error(none.error);
    expect(withUrl(none.value.rendered.x)).toEqual([]);
    expect(JSON.stringify(none.value.rendered.telegram)).toContain(URL);

    const reply = await services.desk.setXLink(id, 'reply', editor);
    if (!reply.ok) throw new Error(reply.error);
    expect(reply.value.rendered.x.at(-1)?.text).toMatch(
      /^Full story: https:\/\/news\.example\.com\/sec-link \d+\/\d+$/,
    );

    const edited = await services.desk.edit(id, { title: 'SEC sues exchange over staking, again' }, editor);
    if (!edited.ok) throw new Error(edited.error);
    expect(edited.value.story.xLink).toBe('reply');
    expect(edited.value.rendered.x.at(-1)?.text).toMatch(/^Full story: /);
    expect(edited.value.history.map((h) => h.action)).toContain('X link policy: reply');
  });
});
