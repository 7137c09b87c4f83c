import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramPublisher } from '../../src/adapters/telegram/index.js';
import type { TelegramPort } from '../../src/ports/telegram-port.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/start-sandbox.js';

// What the sandbox page shows of a live story: its channel post pinned, its updates as replies to it.

let sandbox: Sandbox;
let telegram: TelegramPort;

beforeAll(async () => {
  sandbox = await startSandbox();
  telegram = createTelegramPublisher({ token: sandbox.telegram.token, apiRoot: sandbox.telegram.apiRoot });
});

afterAll(async () => {
  await sandbox.close();
});

describe('the sandbox feed of a live story', () => {
  it('marks the pinned post and the replies under it, and the pin going away', async () => {
    const channel = sandbox.telegram.channelId;
    const post = await telegram.send(channel, {
      method: 'sendMessage',
      text: 'SEC sues exchange',
      entities: [],
    });
    const update = await telegram.send(
      channel,
      { method: 'sendMessage', text: 'Update 14:05 UTC\n\nThe exchange will appeal.', entities: [] },
      undefined,
      { replyToMessageId: post.messageId },
    );
    await telegram.pin(channel, post.messageId, { silent: true });
    const shown = () => sandbox.feed.snapshot().telegram.messages;
    expect(shown().find((m) => m.id === post.messageId)).toMatchObject({ pinned: true });
    expect(shown().find((m) => m.id === update.messageId)).toMatchObject({ replyToId: post.messageId });
    expect(shown().find((m) => m.id === post.messageId)?.replyToId).toBeUndefined();

    await telegram.unpin(channel, post.messageId);
    expect(shown().find((m) => m.id === post.messageId)?.pinned).toBeUndefined();
  });
});
