import { afterEach, describe, expect, it } from 'vitest';
import { createEditorBot, type EditorBot } from '../../../src/bot/index.js';
import {
  DEFAULT_STAND_IN_CHATS,
  startTelegramStandIn,
  TELEGRAM_SANDBOX_BOT,
  TELEGRAM_SANDBOX_CHANNEL,
  type TelegramStandIn,
} from '../../../src/sandbox/standins/telegram/index.js';
import { silentLogger } from '../../../src/util/logger.js';
import { type RealDesk, startRealDesk } from './real-desk.js';

const EDITOR = 4242;
const DESK_GROUP = { id: -1001000000002, type: 'supergroup', title: 'Regwire Desk' } as const;
const OTHER_GROUP = { id: -1001000000077, type: 'supergroup', title: 'Some other group' } as const;
const SECRET = 'hook_Secret-123';

// Senders Telegram shows in `from` that are no person: anonymous group admins post as GroupAnonymousBot,
// a linked channel's posts arrive in its discussion group from the service account 777000, "send as
// channel" posts come from Channel_Bot; each with `sender_chat` naming the chat that really wrote.
// https://core.telegram.org/bots/api#message (from, sender_chat)
const GROUP_ANONYMOUS_BOT = {
  id: 1087968824,
  is_bot: true,
  first_name: 'Group',
  username: 'GroupAnonymousBot',
};
const TELEGRAM_SERVICE = { id: 777000, is_bot: false, first_name: 'Telegram' };
const CHANNEL_BOT = { id: 136817688, is_bot: true, first_name: 'Channel', username: 'Channel_Bot' };
const OTHER_BOT = { id: 5_000_001, is_bot: true, first_name: 'Helper', username: 'helper_bot' };

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

describe("editor bot: who writes in the editors' chat", () => {
  it('anonymous admins, channels, the service account and bots never become editors by writing there', async () => {
    standIn = await startTelegramStandIn({
      floodLimits: false,
      chats: [...DEFAULT_STAND_IN_CHATS, OTHER_GROUP],
    });
    desk = startRealDesk('bot-anon');
    editor = createEditorBot({
      telegram: { token: TELEGRAM_SANDBOX_BOT.token, apiRoot: standIn.apiRoot },
      desk: desk.services.desk,
      editorIds: [EDITOR],
      editorsChatId: DESK_GROUP.id,
      logger: silentLogger,
      // Webhook mode: updates are posted exactly as Telegram sends them, sender_chat and all.
      webhook: { domain: 'http://127.0.0.1:9', path: '/hook', secretToken: SECRET, port: 0 },
    });
    await editor.start();
    const address = editor.webhookAddress();
    if (!address) throw new Error('no webhook listener');
    let updateId = 1;
    const post = async (message: Record<string, unknown>) => {
      const response = await fetch(`http://127.0.0.1:${address.port}/hook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
        body: JSON.stringify({
          update_id: updateId,
          message: { message_id: 100 + updateId, date: Math.floor(Date.now() / 1000), ...message },
        }),
      });
      updateId++;
      expect(response.status).toBe(200);
    };
    const command = (text: string) => ({
      text,
      entities: [{ type: 'bot_command', offset: 0, length: text.length }],
    });
    const channel = { ...TELEGRAM_SANDBOX_CHANNEL, id: TELEGRAM_SANDBOX_CHANNEL.id, type: 'channel' };

    const pseudoSenders = [
      { from: GROUP_ANONYMOUS_BOT, sender_chat: DESK_GROUP },
      { from: TELEGRAM_SERVICE, sender_chat: channel, is_automatic_forward: true },
      { from: CHANNEL_BOT, sender_chat: channel },
      { from: OTHER_BOT },
    ];
    for (const sender of pseudoSenders) {
      // It writes in the editors' chat…
      await post({ chat: DESK_GROUP, ...sender, text: 'Morning, everyone' });
      // …and then the same `from` id asks for something in another group (any anonymous admin there).
      const before = standIn.botReplies(OTHER_GROUP.id).length;
      await post({
        chat: OTHER_GROUP,
        from: sender.from,
        sender_chat: OTHER_GROUP,
        ...command(`/list@${TELEGRAM_SANDBOX_BOT.username}`),
      });
      const reply = standIn.botReplies(OTHER_GROUP.id)[before];
      expect(reply?.text, `as ${sender.from.first_name}`).toContain("only the newsroom's editors");
    }
    // Telegram was asked only about the bot, a real account: never whether a pseudo-user is a member (its
    // answer would be about everyone who posts as it).
    expect(standIn.calls('getChatMember')).toHaveLength(1);
  });
});
