import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramClient, TelegrafTelegramPublisher } from '../../../src/adapters/telegram/index.js';
import { PublishError } from '../../../src/errors/publish-error.js';
import type { TelegramPort } from '../../../src/ports/telegram-port.js';
import {
  startTelegramStandIn,
  TELEGRAM_SANDBOX_BOT,
  type TelegramStandIn,
} from '../../../src/sandbox/standins/telegram/index.js';
import { ManualClock } from '../../support/telegram-test-kit.js';

// The TelegramPort's edit, delete, pin and unpin over telegraf against the stand-in, and their error
// mapping: "not modified" is success, "already deleted" is success, 48 hours old is its own refusal.

const CHANNEL = '@regwire_sandbox';
const HOUR_MS = 60 * 60 * 1000;
const clock = new ManualClock();
let standIn: TelegramStandIn;
let port: TelegramPort;

beforeAll(async () => {
  standIn = await startTelegramStandIn({ floodLimits: false, now: clock.now });
  port = new TelegrafTelegramPublisher(
    createTelegramClient({ token: TELEGRAM_SANDBOX_BOT.token, apiRoot: standIn.apiRoot }),
    { timeoutMs: 400 },
  );
});
afterAll(() => standIn.close());
beforeEach(() => standIn.faults.clear());

const recorded = (id: number) => standIn.messages(CHANNEL).find((m) => m.message_id === id);

describe('TelegramPort edits and deletes against the stand-in', () => {
  it('edits text in place; the same edit again is unchanged, not an error', async () => {
    const { messageId } = await port.send(CHANNEL, {
      method: 'sendMessage',
      text: 'SEC approves ETF',
      entities: [],
    });
    const edit = {
      method: 'editMessageText',
      text: 'SEC delays ETF\nCorrected 14:05 UTC: it was delayed',
      entities: [{ type: 'italic', offset: 15, length: 21 }],
      link_preview_options: { is_disabled: true },
    } as const;
    await expect(port.edit(CHANNEL, messageId, edit)).resolves.toBe('edited');
    await expect(port.edit(CHANNEL, messageId, edit)).resolves.toBe('unchanged');
    expect(recorded(messageId)).toMatchObject({ text: edit.text, entities: edit.entities });
    expect(recorded(messageId)?.history).toHaveLength(1);
  });

  it('edits a photo caption', async () => {
    const { messageId } = await port.send(CHANNEL, {
      method: 'sendPhoto',
      photo: 'https://example.com/a.jpg',
      caption: 'Chart',
      caption_entities: [],
    });
    await expect(
      port.edit(CHANNEL, messageId, {
        method: 'editMessageCaption',
        caption: 'Chart, corrected',
        caption_entities: [],
      }),
    ).resolves.toBe('edited');
    expect(recorded(messageId)?.caption).toBe('Chart, corrected');
  });

  it('deletes within 48 hours; a second delete is already-gone', async () => {
    const { messageId } = await port.send(CHANNEL, { method: 'sendMessage', text: 'Wrong', entities: [] });
    clock.advance(47 * HOUR_MS);
    await expect(port.delete(CHANNEL, messageId)).resolves.toBe('deleted');
    await expect(port.delete(CHANNEL, messageId)).resolves.toBe('already-gone');
  });

  it('refuses to delete a post 48 hours old as too-old-to-delete (permanent), and it stays', async () => {
    const { messageId } = await port.send(CHANNEL, { method: 'sendMessage', text: 'Old', entities: [] });
    clock.advance(72 * HOUR_MS);
    const error = await port.delete(CHANNEL, messageId).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(PublishError);
    expect(error).toMatchObject({ kind: 'permanent', refusal: 'too-old-to-delete', status: 400 });
    expect(recorded(messageId)?.deleted).toBe(false);
  });

  it('an edit answered 500 is an unknown outcome; repeating it is safe (unchanged)', async () => {
    const { messageId } = await port.send(CHANNEL, { method: 'sendMessage', text: 'v1', entities: [] });
    standIn.faults.add({ method: 'editMessageText', kind: 'http-500-after', times: 1 });
    const edit = { method: 'editMessageText', text: 'v2', entities: [] } as const;
    await expect(port.edit(CHANNEL, messageId, edit)).rejects.toMatchObject({ kind: 'unknown-outcome' });
    await expect(port.edit(CHANNEL, messageId, edit)).resolves.toBe('unchanged');
  });

  it('sends a silent, protected reply, and pins and unpins', async () => {
    const { messageId } = await port.send(CHANNEL, { method: 'sendMessage', text: 'Live', entities: [] });
    const reply = await port.send(
      CHANNEL,
      { method: 'sendMessage', text: 'Update', entities: [] },
      undefined,
      { replyToMessageId: messageId, silent: true, protectContent: true },
    );
    expect(recorded(reply.messageId)).toMatchObject({
      reply_to_message_id: messageId,
      disable_notification: true,
      protect_content: true,
    });
    await port.pin(CHANNEL, messageId, { silent: true });
    expect(recorded(messageId)?.pinned).toBe(true);
    await port.unpin(CHANNEL, messageId);
    expect(recorded(messageId)?.pinned).toBe(false);
  });
});
