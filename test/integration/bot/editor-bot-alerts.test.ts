import { afterEach, describe, expect, it } from 'vitest';
import { createEditorBot } from '../../../src/bot/index.js';
import type { Alert } from '../../../src/ports/alert-bus.js';
import { TELEGRAM_SANDBOX_BOT } from '../../../src/sandbox/standins/telegram/index.js';
import { silentLogger } from '../../../src/util/logger.js';
import { waitFor } from '../../support/wait-for.js';
import { buttonsOf, DESK_GROUP_ID, EDITOR_ID, type Harness, startHarness } from './editor-bot-harness.js';
import { markPartUnknown } from './worker-states.js';

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

describe('editor bot: the choices under an alert', () => {
  const STORY = {
    title: 'Regulator fines exchange over weak controls',
    body: [
      'The regulator fined a large exchange on Monday for weak anti-money-laundering controls, after a two-year inquiry into how it checked the identity of new customers and reported suspicious transfers.',
      'The exchange said it had already replaced its compliance team and would not appeal; the fine is the largest the regulator has imposed on a crypto firm since it gained its new powers last spring.',
      'Lawyers expect other exchanges to face the same questions this year, as the regulator has said that customer checks will be the focus of its supervision until the new rules take full effect.',
    ].join('\n\n'),
    url: 'https://example.com/fine-controls',
  };
  const actor = { kind: 'system', name: 'test' } as const;

  async function publishing(h: Harness): Promise<string> {
    // Alerts go to each editor privately; Telegram lets a bot write only to those who started it.
    await h.say('/start');
    const draft = await h.desk.createDraft(STORY, actor);
    if (!draft.ok) throw new Error(draft.error);
    const scheduled = await h.desk.schedule(draft.value.story.id, { mode: 'now' }, actor);
    if (!scheduled.ok) throw new Error(scheduled.error);
    return draft.value.story.id;
  }

  it('an X thread stopped mid-way can go on as a new thread', async () => {
    harness = await startHarness();
    const h = harness;
    const storyId = await publishing(h);
    // Tweet 2 was refused (its parent deleted); tweet 1 is out.
    await markPartUnknown(h.services, storyId, 'x', h.clock.now(), 1);
    await h.alert({ storyId, destination: 'x', kind: 'failed', part: 1, message: 'parent tweet deleted' });
    const alert = h.replies(EDITOR_ID).at(-1)!;
    expect([...buttonsOf(alert).keys()]).toEqual(['Retry', 'Skip', 'Mark as posted', 'New thread']);
    expect((await h.press(alert, 'New thread')).text).toBe('Done.');
    expect(h.current(alert).text).toContain('✓ The rest goes out as a new thread on x by User 4242');
    const view = await h.desk.view(storyId);
    if (!view.ok) throw new Error(view.error);
    expect(view.value.history.at(-1)?.action).toBe('tweets 2+ on x go out as a new thread');
    expect(await h.stateOf(storyId, 'x')).toBe('scheduled');
  });

  it('a channel post is marked as posted at once (Telegram has no link to ask for), with no New thread', async () => {
    harness = await startHarness();
    const h = harness;
    const storyId = await publishing(h);
    const part = await markPartUnknown(h.services, storyId, 'telegram', h.clock.now());
    await h.alert({ storyId, destination: 'telegram', kind: 'unknown-outcome', part, message: 'timed out' });
    const alert = h.replies(EDITOR_ID).at(-1)!;
    expect([...buttonsOf(alert).keys()]).toEqual(['Retry', 'Skip', 'Mark as posted']);
    expect((await h.press(alert, 'Mark as posted')).text).toBe('Done.');
    expect(h.current(alert).text).toContain('✓ Marked as posted on telegram by User 4242');
    const view = await h.desk.view(storyId);
    if (!view.ok) throw new Error(view.error);
    const telegram = view.value.destinations.find((d) => d.destination === 'telegram');
    expect(telegram?.parts[part]).toMatchObject({ state: 'sent', confirmedBy: 'User 4242' });
  });
});
