import { afterEach, describe, expect, it } from 'vitest';
import { createEditorBot, type EditorBot } from '../../../src/bot/index.js';
import {
  startTelegramStandIn,
  TELEGRAM_SANDBOX_BOT,
  type TelegramStandIn,
} from '../../../src/sandbox/standins/telegram/index.js';
import { silentLogger } from '../../../src/util/logger.js';
import { type RealDesk, startRealDesk } from './real-desk.js';

let standIn: TelegramStandIn | undefined;
let editor: EditorBot | undefined;
let desk: RealDesk | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
  await desk?.close();
  desk = undefined;
});

// A process told to stop right after it started (a deploy rolled back, SIGTERM during start-up) must stop:
// telegraf's launch says "launched" before it has deleted the webhook and begun long polling, and a stop in
// that window used to find nothing to stop, so polling began afterwards and the process never exited.
describe('editor bot: stopping right after start', () => {
  it('stops while long polling is still being set up', async () => {
    standIn = await startTelegramStandIn({ floodLimits: false });
    // Widens the window between "launched" and polling, which a loaded machine opens by itself.
    standIn.faults.add({ method: 'deleteWebhook', kind: 'latency', latencyMs: 300 });
    desk = startRealDesk('bot-stop');
    editor = createEditorBot({
      telegram: { token: TELEGRAM_SANDBOX_BOT.token, apiRoot: standIn.apiRoot },
      desk: desk.services.desk,
      editorIds: [4242],
      logger: silentLogger,
    });
    await editor.start();
    await editor.stop();
    expect(editor.health()).toMatchObject({ ok: false, detail: 'stopped' });
  }, 10_000);
});
