import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramClient, TelegrafTelegramPublisher } from '../../../src/adapters/telegram/index.js';
import { PublishError } from '../../../src/errors/publish-error.js';
import type { TelegramPort } from '../../../src/ports/telegram-port.js';
import {
  DEFAULT_STAND_IN_CHATS,
  startTelegramStandIn,
  TELEGRAM_SANDBOX_BOT,
  TELEGRAM_SANDBOX_CHANNEL,
  type TelegramStandIn,
} from '../../../src/sandbox/standins/telegram/index.js';

// Pinning a live story's post: the refusals Telegram gives (the post is gone, the bot lacks the right to
// pin in the chat), as the stand-in answers them and as the TelegramPort maps them for the editors.

const CHANNEL = '@regwire_sandbox';
const GROUP = -1001000000002;
let standIn: TelegramStandIn;
let port: TelegramPort;

beforeAll(async () => {
  // The bot may post in the channel but not pin there; in the group it may do both.
  const chats = DEFAULT_STAND_IN_CHATS.map((c) =>
    c.id === TELEGRAM_SANDBOX_CHANNEL.id ? { ...c, cannotPin: [TELEGRAM_SANDBOX_BOT.id] } : c,
  );
  standIn = await startTelegramStandIn({ floodLimits: false, chats });
  port = new TelegrafTelegramPublisher(
    createTelegramClient({ token: TELEGRAM_SANDBOX_BOT.token, apiRoot: standIn.apiRoot }),
    { timeoutMs: 2_000 },
  );
});
afterAll(() => standIn.close());

async function refusal(call: Promise<unknown>): Promise<PublishError> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof PublishError)) throw new Error(`expected a PublishError, got ${String(err)}`);
  return err;
}

describe('pin refusals', () => {
  it('a bot without the right to pin: 400 "not enough rights to manage pinned messages in the chat", said as such', async () => {
    const { messageId } = await port.send(CHANNEL, {
      method: 'sendMessage',
      text: 'Live: SEC v. exchange',
      entities: [],
    });
    for (const call of [port.pin(CHANNEL, messageId), port.unpin(CHANNEL, messageId)]) {
      const err = await refusal(call);
      expect(err).toMatchObject({ kind: 'permanent', status: 400 });
      expect(err.reason).toBe(
        'the bot may not pin messages in this chat: give it the right to pin (in a channel, "Edit messages of others") (Bad Request: not enough rights to manage pinned messages in the chat)',
      );
    }
    expect(standIn.messages(CHANNEL).find((m) => m.message_id === messageId)?.pinned).toBeFalsy();
  });

  it('a post that is gone: "message to pin not found", said as the post being gone', async () => {
    const { messageId } = await port.send(String(GROUP), {
      method: 'sendMessage',
      text: 'Live: SEC v. exchange',
      entities: [],
    });
    await port.delete(String(GROUP), messageId);
    const err = await refusal(port.pin(String(GROUP), messageId));
    expect(err).toMatchObject({ kind: 'permanent' });
    expect(err.reason).toMatch(
      /^the channel post is gone \(deleted\?\), so it cannot be pinned or unpinned \(.*message to pin not found\)$/,
    );
  });
});
