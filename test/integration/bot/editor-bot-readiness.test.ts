import { afterEach, describe, expect, it } from 'vitest';
import { deletePrefix, testRedis, uniquePrefix } from '../../../harness/redis.js';
import { standInEnv } from '../../../harness/stand-in-env.js';
import { type App, startApp } from '../../../src/app/start-app.js';
import { createEditorBot, type EditorBot } from '../../../src/bot/index.js';
import { loadConfig } from '../../../src/config/load-config.js';
import {
  startTelegramStandIn,
  TELEGRAM_SANDBOX_BOT,
  type TelegramStandIn,
} from '../../../src/sandbox/standins/telegram/index.js';
import { silentLogger } from '../../../src/util/logger.js';
import { waitFor } from '../../support/wait-for.js';

const BOT_ONLY = { workers: false, web: false, maintenance: false, bot: true } as const;

let standIn: TelegramStandIn | undefined;
let app: App | undefined;
let intruder: EditorBot | undefined;
const redis = testRedis();
const prefix = uniquePrefix('bot-ready');

afterEach(async () => {
  await intruder?.stop();
  await app?.close();
  await standIn?.close();
  await deletePrefix(redis, prefix);
});

describe('/readyz of a process running the editor bot', () => {
  it('fails, with the reason, once another bot process has taken the updates (409 Conflict)', async () => {
    standIn = await startTelegramStandIn({ floodLimits: false });
    const config = loadConfig({ env: { ...standInEnv({ prefix, telegram: standIn }), EDITOR_IDS: '4242' } });
    app = await startApp(config, silentLogger, { roles: BOT_ONLY });
    const readyz = async () => {
      const response = await fetch(new URL('readyz', app!.web!.url));
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const before = await readyz();
    expect(before.status).toBe(200);
    expect(before.body.checks).toMatchObject({ bot: { ok: true } });

    intruder = createEditorBot({
      telegram: { token: TELEGRAM_SANDBOX_BOT.token, apiRoot: standIn.apiRoot },
      desk: app.services.desk,
      editorIds: [4242],
      logger: silentLogger,
    });
    await intruder.start();
    const after = await waitFor(
      async () => {
        const answer = await readyz();
        return answer.status === 503 ? answer : undefined;
      },
      { what: '/readyz to fail' },
    );
    expect(String(after.body.reason)).toMatch(/^bot: stopped receiving updates: another process polls/);
  });
});
