import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/util/logger.js';
import { createEditorChat, type EditorChatSnapshot } from '../../../src/web/editor-chat.js';
import { startWebServer, type WebServer } from '../../../src/web/web-server.js';
import { EDITOR_ID, type Harness, startHarness } from './editor-bot-harness.js';

let harness: Harness | undefined;
let web: WebServer | undefined;
afterEach(async () => {
  await web?.close();
  web = undefined;
  await harness?.close();
  harness = undefined;
});

describe('sandbox editor chat (page endpoints)', () => {
  it('lets a person type commands and press buttons as an editor, and shows the bot replies', async () => {
    harness = await startHarness();
    const chat = createEditorChat(harness.standIn, EDITOR_ID);
    web = await startWebServer({ host: '127.0.0.1', port: 0, logger: silentLogger, editorChat: chat });
    const api = (path: string, body?: unknown) =>
      fetch(
        new URL(path, web!.url),
        body === undefined
          ? {}
          : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
      );
    const snapshot = async () => (await (await api('api/editor/chat')).json()) as EditorChatSnapshot;

    expect(
      (
        await api('api/editor/messages', {
          text: '/queue Fed issues stablecoin guidance\n\nThe Federal Reserve issued guidance for banks holding stablecoin reserves.\n\nhttps://example.com/fed',
        })
      ).status,
    ).toBe(202);
    const preview = await eventuallyAsync(async () =>
      (await snapshot()).entries.find((e) => e.buttons.length > 0),
    );
    expect((await snapshot()).entries[0]).toMatchObject({
      from: 'editor',
      text: expect.stringContaining('/queue Fed issues'),
    });
    const postNow = preview.buttons.flat().find((b) => b.text === 'Post now')!;
    expect((await api('api/editor/press', { messageId: preview.messageId, data: postNow.data })).status).toBe(
      202,
    );
    const edited = await eventuallyAsync(async () =>
      (await snapshot()).entries.find((e) => e.messageId === preview.messageId && e.edited),
    );
    expect(edited.text).toContain('✓ Posting now by @sandbox_editor');
    expect(edited.buttons).toEqual([]);

    expect((await api('api/editor/press', { messageId: preview.messageId, data: postNow.data })).status).toBe(
      400,
    );
    expect((await api('api/editor/messages', { text: '   ' })).status).toBe(400);
    expect((await api('api/editor/messages', { nope: 1 })).status).toBe(400);
    expect((await api('api/editor/elsewhere', {})).status).toBe(404);
    chat.close();
  });

  it('is absent outside sandbox mode', async () => {
    web = await startWebServer({ host: '127.0.0.1', port: 0, logger: silentLogger });
    expect((await fetch(new URL('api/editor/chat', web.url))).status).toBe(404);
  });
});

async function eventuallyAsync<T>(check: () => Promise<T | undefined>, timeoutMs = 3_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
