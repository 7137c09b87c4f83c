import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createEditorBot, type EditorBot } from '../../../src/bot/index.js';
import {
  startTelegramStandIn,
  TELEGRAM_SANDBOX_BOT,
  type TelegramStandIn,
} from '../../../src/sandbox/standins/telegram/index.js';
import { silentLogger } from '../../../src/util/logger.js';
import { eventually } from '../../support/telegram-test-kit.js';
import { type RealDesk, startRealDesk } from './real-desk.js';

const EDITOR = 4242;
const SECRET = 'hook_Secret-123';
let standIn: TelegramStandIn | undefined;
let editor: EditorBot | undefined;
let desk: RealDesk | undefined;
let front: FrontEnd | undefined;

/**
 * The public front end a webhook sits behind (in production, the HTTPS proxy): it listens on port 0, so
 * its origin is known before the bot starts, and passes each request on to the bot's own port once the
 * bot has bound one (also port 0) and said which.
 */
interface FrontEnd {
  readonly origin: string;
  /** Requests passed on to the bot. */
  readonly forwarded: number;
  forwardTo(port: number): void;
  close(): Promise<void>;
}

async function startFrontEnd(): Promise<FrontEnd> {
  let target: number | undefined;
  let forwarded = 0;
  const server = http.createServer((req, res) => {
    if (target === undefined) {
      res.writeHead(502).end();
      return;
    }
    forwarded++;
    const upstream = http.request(
      { host: '127.0.0.1', port: target, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    get forwarded() {
      return forwarded;
    },
    forwardTo: (port) => {
      target = port;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

afterEach(async () => {
  await editor?.stop();
  editor = undefined;
  await front?.close();
  front = undefined;
  await standIn?.close();
  standIn = undefined;
  await desk?.close();
  desk = undefined;
});

describe('editor bot: webhook mode', () => {
  it('sets the webhook with the secret token; updates with the right header are handled, others get 403', async () => {
    standIn = await startTelegramStandIn({ floodLimits: false });
    front = await startFrontEnd();
    desk = startRealDesk('bot-webhook');
    editor = createEditorBot({
      telegram: { token: TELEGRAM_SANDBOX_BOT.token, apiRoot: standIn.apiRoot },
      desk: desk.services.desk,
      editorIds: [EDITOR],
      logger: silentLogger,
      webhook: { domain: front.origin, path: '/telegram/hook', secretToken: SECRET, port: 0 },
    });
    await editor.start();
    const bound = editor.webhookAddress();
    expect(bound).toEqual({ host: '127.0.0.1', port: expect.any(Number) });
    const port = bound?.port ?? 0;
    expect(port).toBeGreaterThan(0);
    front.forwardTo(port);
    expect(standIn.calls('setWebhook')).toHaveLength(1);

    // Delivered by the stand-in to the public address, with the header.
    standIn.sendUserMessage({ fromId: EDITOR, text: '/list' });
    const reply = await eventually(() => standIn?.botReplies(EDITOR)[0]);
    expect(reply.text).toBe('Nothing is scheduled.');
    expect(front.forwarded).toBeGreaterThanOrEqual(1);

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
