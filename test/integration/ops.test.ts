import { Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniquePrefix } from '../../harness/redis.js';
import { standInEnv } from '../../harness/stand-in-env.js';
import type { App } from '../../src/app/start-app.js';
import { loadConfig } from '../../src/config/load-config.js';
import { startTelegramStandIn } from '../../src/sandbox/standins/telegram/index.js';
import { startXStandIn } from '../../src/sandbox/standins/x/index.js';
import { createLogger, secretsOf } from '../../src/util/logger.js';
import { type StandInApp, startStandInApp } from '../support/stand-in-app.js';
import { waitFor } from '../support/wait-for.js';

// Fake but realistic secrets: nothing of them may appear in a log line or a Redis value.
const SECRETS = {
  token: '7654321098:AAFakeSecretTokenValue_for-tests-only',
  appKey: 'FakeAppKeyValue0123456789',
  appSecret: 'FakeAppSecretValue0123456789abcdefghijklmnop',
  accessToken: '1700000000000000001-FakeAccessTokenValue012345',
  accessSecret: 'FakeAccessSecretValue0123456789abcdefghijkl',
  admin: 'correct horse battery staple',
};

describe('operations: health, readiness, metrics, dashboard, secrets', () => {
  let rig: StandInApp | undefined;
  let app: App;
  let redis: Redis;
  let base: string;
  const prefix = uniquePrefix('ops');
  const logLines: string[] = [];

  beforeAll(async () => {
    const telegram = await startTelegramStandIn({
      bots: [{ token: SECRETS.token, id: 7654321098, username: 'regwire_ops_bot', firstName: 'regwire' }],
    });
    const x = await startXStandIn({
      accounts: [
        {
          appKey: SECRETS.appKey,
          appSecret: SECRETS.appSecret,
          accessToken: SECRETS.accessToken,
          accessSecret: SECRETS.accessSecret,
          userId: '1700000000000000001',
          username: 'regwire_ops',
        },
      ],
    });
    const env = {
      ...standInEnv({ prefix, telegram, telegramToken: SECRETS.token, x, xKeys: SECRETS }),
      ADMIN_PASSWORD: SECRETS.admin,
      LOG_LEVEL: 'debug',
    };
    const sink = new Writable({
      write(chunk, _enc, done) {
        logLines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    const config = loadConfig({ env });
    const logger = createLogger('debug', sink, secretsOf(config));
    logger.info({ config }, 'config loaded');
    rig = await startStandInApp({ prefix, telegram, x, config, logger });
    ({ app, redis } = rig);
    base = app.web?.url ?? '';
  });

  afterAll(async () => {
    await rig?.close();
  });

  it('answers /healthz and /readyz with every check', async () => {
    expect((await fetch(`${base}healthz`)).status).toBe(200);
    const ready = await fetch(`${base}readyz`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as {
      ready: boolean;
      checks: Record<string, { ok: boolean; detail: string }>;
    };
    expect(body.ready).toBe(true);
    expect(body.checks.redis).toEqual({ ok: true, detail: 'answers' });
    expect(body.checks.workers?.ok).toBe(true);
    expect(body.checks['lastPublish.x']?.detail).toBe('nothing published yet');
  });

  it('publishes a story and shows it in the metrics, readiness and nowhere a secret', async () => {
    const draft = await app.services.desk.createDraft(
      {
        title: 'SEC fines exchange $4.3bn over licensing',
        body: 'The Securities and Exchange Commission fined the exchange. It had no licence in the US.\n\nA second paragraph explains the MiCA angle for Europe in some detail, enough for a thread.',
        url: 'https://news.example.com/sec-fine',
      },
      { kind: 'cli', name: 'test' },
    );
    if (!draft.ok) throw new Error(draft.error);
    await app.services.desk.schedule(draft.value.story.id, { mode: 'now' }, { kind: 'cli', name: 'test' });
    await waitFor(
      async () =>
        (await app.services.store.publications(draft.value.story.id)).every((p) => p.state === 'published'),
      { what: 'published' },
    );

    const metrics = await (await fetch(`${base}metrics`)).text();
    expect(metrics).toMatch(/regwire_parts_sent_total\{destination="telegram"\} 1/);
    expect(metrics).toMatch(
      new RegExp(`regwire_parts_sent_total\\{destination="x"\\} ${draft.value.rendered.x.length}`),
    );
    expect(metrics).toMatch(/regwire_jobs\{queue="publish-x",state="completed"\} 1/);
    expect(metrics).toMatch(/regwire_publish_lateness_seconds_count\{destination="telegram"\} 1/);
    expect(metrics).toMatch(/regwire_publish_duration_seconds_bucket/);
    // The bot runs in this process and has handled every alert and intake news item.
    expect(metrics).toMatch(/regwire_editor_news_waiting\{stream="alerts"\} 0/);
    expect(metrics).toMatch(/regwire_editor_news_waiting\{stream="intake"\} 0/);

    const ready = (await (await fetch(`${base}readyz`)).json()) as {
      checks: Record<string, { detail: string }>;
    };
    expect(ready.checks['lastPublish.telegram']?.detail).toMatch(/^\d{4}-\d\d-\d\dT/);

    // Every log line and every Redis value under this deployment's prefix.
    const haystack: string[] = [...logLines, ...(await allRedisValues(redis, prefix))];
    expect(haystack.length).toBeGreaterThan(10);
    for (const secret of Object.values(SECRETS)) {
      const found = haystack.filter((v) => v.includes(secret));
      expect(found, `secret leaked: ${secret.slice(0, 6)}…`).toEqual([]);
    }
    expect(logLines.some((l) => l.includes('"msg":"published"'))).toBe(true);
  });

  it('guards the queue dashboard with a password', async () => {
    expect((await fetch(`${base}admin/queues`)).status).toBe(401);
    const wrong = Buffer.from('admin:nope').toString('base64');
    expect(
      (await fetch(`${base}admin/queues`, { headers: { authorization: `Basic ${wrong}` } })).status,
    ).toBe(401);
    const right = Buffer.from(`admin:${SECRETS.admin}`).toString('base64');
    const page = await fetch(`${base}admin/queues`, { headers: { authorization: `Basic ${right}` } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<title>regwire queues<\/title>|bull/i);
    const api = await fetch(`${base}admin/queues/api/queues`, {
      headers: { authorization: `Basic ${right}` },
    });
    expect(api.status).toBe(200);
    const queues = (await api.json()) as { queues: { name: string }[] };
    expect(queues.queues.map((q) => q.name).sort()).toEqual(['publish-telegram', 'publish-x']);
  });
});

async function allRedisValues(redis: Redis, prefix: string): Promise<string[]> {
  const values: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    cursor = next;
    for (const key of keys) {
      values.push(key);
      const type = await redis.type(key);
      if (type === 'string') values.push((await redis.get(key)) ?? '');
      else if (type === 'hash') values.push(...Object.entries(await redis.hgetall(key)).flat());
      else if (type === 'list') values.push(...(await redis.lrange(key, 0, -1)));
      else if (type === 'set') values.push(...(await redis.smembers(key)));
      else if (type === 'zset') values.push(...(await redis.zrange(key, '0', '-1')));
      else if (type === 'stream')
        values.push(...(await redis.xrange(key, '-', '+')).map((e) => JSON.stringify(e)));
    }
  } while (cursor !== '0');
  return values;
}
