import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../../src/app/desk.js';
import { createEditorBot } from '../../../src/bot/index.js';
import { TELEGRAM_SANDBOX_BOT } from '../../../src/standins/telegram/index.js';
import { silentLogger } from '../../../src/util/logger.js';
import { waitFor } from '../../support/wait-for.js';
import { DESK_GROUP_ID, EDITOR_ID, type Harness, startHarness } from './editor-bot-harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const ALERT: Alert = {
  storyId: 'k3m9x2qa',
  destination: 'telegram',
  kind: 'unknown-outcome',
  part: 0,
  message: 'the request timed out after it was sent',
};

describe('editor bot: alerts are not lost', () => {
  it("an alert that could not be sent to the editors' chat is not acknowledged: it comes again", async () => {
    harness = await startHarness({ bot: { editorIds: [EDITOR_ID], editorsChatId: DESK_GROUP_ID } });
    const h = harness;
    h.standIn.faults.add({ method: 'sendMessage', kind: 'http-500', times: 1 });
    await h.services.alerts.publish(ALERT);
    await waitFor(() => h.logs.some((line) => line.msg === 'editor bot: alert not delivered'), {
      what: 'the failed delivery',
    });
    expect(h.replies(DESK_GROUP_ID)).toEqual([]);

    // The bot restarts (or its retry comes round): the alert is handed out again, and delivered once.
    await h.restart();
    await waitFor(async () => (await h.services.alerts.backlog()) === 0, { what: 'the alert handled' });
    const alerts = h.replies(DESK_GROUP_ID).filter((m) => m.text?.includes(`${ALERT.storyId} on telegram`));
    expect(alerts).toHaveLength(1);
  });
});

describe('editor bot: a second bot process', () => {
  it('the one Telegram cuts off (409 Conflict) says so in its health and its log, at error level', async () => {
    harness = await startHarness();
    const h = harness;
    expect(h.editor.health()).toEqual({ ok: true, detail: 'receiving updates (long polling)' });
    const first = h.editor;
    // Another process starts polling with the same token: Telegram ends the first one's getUpdates.
    const second = createEditorBot({
      telegram: { token: TELEGRAM_SANDBOX_BOT.token, apiRoot: h.standIn.apiRoot },
      desk: h.desk,
      editorIds: [EDITOR_ID],
      logger: silentLogger,
    });
    await second.start();
    try {
      await waitFor(() => !first.health().ok, { what: 'the first bot to notice' });
      expect(first.health().detail).toMatch(/another process polls Telegram with this bot's token/);
      expect(first.health().detail).toContain('409');
      const logged = h.logs.find((line) => String(line.msg).includes('another process polls Telegram'));
      expect(logged?.level).toBe(50);
      expect(second.health().ok).toBe(true);
    } finally {
      await second.stop();
    }
    expect(second.health()).toEqual({ ok: false, detail: 'stopped' });
  });
});
