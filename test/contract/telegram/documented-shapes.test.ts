import { afterEach, describe, expect, it } from 'vitest';
import {
  GROUP_ANONYMOUS_BOT,
  startTelegramStandIn,
  TELEGRAM_SANDBOX_BOT,
  type TelegramStandIn,
} from '../../../src/sandbox/standins/telegram/index.js';
import { docFixture, shapeOf } from '../../support/doc-fixtures.js';
import { eventually } from '../../support/telegram-test-kit.js';

// The stand-in's answers checked against the Bot API's documented bodies (test/contract/fixtures/telegram/).

interface Fixture<T> {
  readonly source: string;
  readonly status: number;
  readonly response: T;
}
const conflict = docFixture<Fixture<Record<string, unknown>>>('telegram/get-updates-conflict-409.json');
const floodWait = docFixture<Fixture<Record<string, unknown>>>('telegram/flood-wait-429.json');
const anonymous = docFixture<{ source: string; update: { message: Record<string, unknown> } }>(
  'telegram/anonymous-admin-message.json',
);

const GROUP_ID = -1001000000002;
let standIn: TelegramStandIn | undefined;

afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

async function call(
  root: string,
  method: string,
  params: Record<string, unknown>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${root}bot${TELEGRAM_SANDBOX_BOT.token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('Bot API stand-in against documented bodies', () => {
  it('a second getUpdates consumer ends the waiting one with the documented 409', async () => {
    const started = await startTelegramStandIn();
    standIn = started;
    const first = call(started.apiRoot, 'getUpdates', { timeout: 5 });
    await eventually(() => (started.calls('getUpdates').length === 1 ? true : undefined));
    const second = call(started.apiRoot, 'getUpdates', { timeout: 0 });
    const terminated = await first;
    expect(terminated.status).toBe(conflict.status);
    expect(terminated.body).toEqual(conflict.response);
    expect((await second).body).toEqual({ ok: true, result: [] });
  });

  it('flood control answers the documented 429 with retry_after', async () => {
    const started = await startTelegramStandIn({
      floodLimits: { perChatBurst: 1, perChatIntervalMs: 7_000 },
    });
    standIn = started;
    expect((await call(started.apiRoot, 'sendMessage', { chat_id: GROUP_ID, text: 'one' })).status).toBe(200);
    const limited = await call(started.apiRoot, 'sendMessage', { chat_id: GROUP_ID, text: 'two' });
    expect(limited.status).toBe(floodWait.status);
    expect(shapeOf(limited.body)).toEqual(shapeOf(floodWait.response));
    expect(limited.body.description).toMatch(/^Too Many Requests: retry after \d+$/);

    started.faults.add({ kind: 'http-429', retryAfterSec: 7, method: 'sendMessage', times: 1 });
    const faulted = await call(started.apiRoot, 'sendMessage', {
      chat_id: '@regwire_sandbox',
      text: 'three',
    });
    expect(faulted).toEqual({ status: floodWait.status, body: floodWait.response });
  });

  it('injects a message from an anonymous group admin in the documented shape', async () => {
    const started = await startTelegramStandIn();
    standIn = started;
    const documented = anonymous.update.message;
    const injected = await fetch(`${started.inspectionRoot}user-messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fromId: 4242, chatId: GROUP_ID, text: documented.text, anonymousAdmin: true }),
    });
    expect(injected.status).toBe(200);

    const polled = await call(started.apiRoot, 'getUpdates', { timeout: 0 });
    const [update] = polled.body.result as { message: Record<string, unknown> }[];
    expect(shapeOf(update)).toEqual(shapeOf(anonymous.update));
    expect(update?.message.from).toEqual(documented.from);
    expect(update?.message.from).toEqual(GROUP_ANONYMOUS_BOT);
    expect(update?.message.sender_chat).toEqual(update?.message.chat);
    expect(update?.message.chat).toMatchObject({ id: GROUP_ID, type: 'supergroup' });
    // Nothing in the update names the admin who wrote it.
    expect(JSON.stringify(update)).not.toContain('4242');
  });

  it('refuses an anonymous admin outside groups', async () => {
    const started = await startTelegramStandIn();
    standIn = started;
    const refused = await fetch(`${started.inspectionRoot}user-messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fromId: 4242, chatId: '@regwire_sandbox', text: 'x', anonymousAdmin: true }),
    });
    expect(refused.status).toBe(400);
  });
});
