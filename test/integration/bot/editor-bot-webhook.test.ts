import { afterEach, describe, expect, it } from 'vitest';
import { createEditorBot, type EditorBot } from '../../../src/bot/index.js';
import {
  startTelegramStandIn,
  TELEGRAM_SANDBOX_BOT,
  type TelegramStandIn,
} from '../../../src/standins/telegram/index.js';
import { silentLogger } from '../../../src/util/logger.js';
import { freePort } from '../../support/free-port.js';
import { eventually } from '../../support/telegram-test-kit.js';
import { type RealDesk, startRealDesk } from './real-desk.js';

const EDITOR = 4242;
const SECRET = 'hook_Secret-123';
let standIn: TelegramStandIn | undefined;
let editor: EditorBot | undefined;
let desk: RealDesk | undefined;

afterEach(async () => {
  await editor?.stop();
  editor = undefined;
  await standIn?.close();
  standIn = undefined;
  await desk?.close();
  desk = undefined;
});

describe('editor bot: webhook mode', () => {
  it('sets the webhook with the secret token; updates with the right header are handled, others get 403', async () => {
    standIn = await startTelegramStandIn({ floodLimits: false });
    const port = await freePort();
    desk = startRealDesk('bot-webhook');
    editor = createEditorBot({
      telegram: { token: TELEGRAM_SANDBOX_BOT.token, apiRoot: standIn.apiRoot },
      desk: desk.services.desk,
      editorIds: [EDITOR],
      logger: silentLogger,
      webhook: { domain: `http://127.0.0.1:${port}`, path: '/telegram/hook', secretToken: SECRET, port },
    });
    await editor.start();
    expect(editor.webhookAddress()).toEqual({ host: '127.0.0.1', port });
    expect(standIn.calls('setWebhook')).toHaveLength(1);

    // Delivered by the stand-in, with the header.
    standIn.sendUserMessage({ fromId: EDITOR, text: '/list' });
    const reply = await eventually(() => standIn?.botReplies(EDITOR)[0]);
    expect(reply.text).toBe('Nothing is scheduled.');

    const update = (id: number, text: string) =>
      JSON.stringify({
        update_id: 1_000 + id,
        message: {
          message_id: 500 + id,
          date: 0,
          chat: { id: EDITOR, type: 'private' },
          from: { id: EDITOR, is_bot: false, first_name: 'E' },
          text,
          entities: [{ type: 'bot_command', offset: 0, length: text.length }],
        },
      });
    const url = `http://127.0.0.1:${port}/telegram/hook`;
    const post = (body: string, secret?: string) =>
      fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}),
        },
        body,
      });
    expect((await post(update(1, '/help'))).status).toBe(403);
    expect((await post(update(2, '/help'), 'wrong')).status).toBe(403);
    const ok = await post(update(3, '/whoami'), SECRET);
    expect(ok.status).toBe(200);
    const replies = await eventually(() =>
      standIn!.botReplies(EDITOR).length >= 2 ? standIn!.botReplies(EDITOR) : undefined,
    );
    expect(replies.map((m) => m.text?.split('\n')[0])).toEqual([
      'Nothing is scheduled.',
      `You are E, Telegram id ${EDITOR}. You are an editor: you can queue, schedule, edit and cancel stories.`,
    ]);
    expect((await fetch(`http://127.0.0.1:${port}/elsewhere`, { method: 'POST', body: '{}' })).status).toBe(
      404,
    );
  });
});
