import { Telegraf } from 'telegraf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type StandInEvent,
  type StandInMessage,
  startTelegramStandIn,
  TELEGRAM_SANDBOX_BOT,
  type TelegramStandIn,
} from '../../../src/sandbox/standins/telegram/index.js';
import { eventually } from '../../support/telegram-test-kit.js';

let standIn: TelegramStandIn;
let bot: Telegraf;

beforeAll(async () => {
  standIn = await startTelegramStandIn({ floodLimits: false });
  bot = new Telegraf(TELEGRAM_SANDBOX_BOT.token, { telegram: { apiRoot: standIn.apiRoot } });
});

afterAll(async () => {
  await standIn.close();
});

async function getJson<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(new URL(path, standIn.inspectionRoot), init);
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

const post = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

describe('stand-in inspection over HTTP (plain fetch, as another process would)', () => {
  it('lists bots without tokens, and chats', async () => {
    const info = await getJson<{ bots: unknown[]; chats: { username?: string }[] }>('');
    expect(JSON.stringify(info)).not.toContain(TELEGRAM_SANDBOX_BOT.token);
    expect(info.chats.some((chat) => chat.username === 'regwire_sandbox')).toBe(true);
  });

  it('shows posted messages, by chat', async () => {
    await bot.telegram.sendMessage('@regwire_sandbox', 'visible over http');
    const { messages } = await getJson<{ messages: StandInMessage[] }>('messages?chat=@regwire_sandbox');
    expect(messages.at(-1)).toMatchObject({ text: 'visible over http', deleted: false });
    const { messages: none } = await getJson<{ messages: StandInMessage[] }>('messages?chat=-1001000000002');
    expect(none).toEqual([]);
  });

  it('arms and clears faults', async () => {
    const { id } = await getJson<{ id: string }>(
      'faults',
      post({ kind: 'http-500', method: 'sendMessage', times: 1 }),
    );
    expect((await getJson<{ faults: { id: string }[] }>('faults')).faults.map((f) => f.id)).toEqual([id]);
    await expect(bot.telegram.sendMessage('@regwire_sandbox', 'fails')).rejects.toThrow('500');
    expect((await getJson<{ faults: unknown[] }>('faults')).faults).toEqual([]);

    await getJson('faults', post({ kind: 'http-429' }));
    await getJson('faults', { method: 'DELETE' });
    expect((await getJson<{ faults: unknown[] }>('faults')).faults).toEqual([]);
    const bad = await fetch(new URL('faults', standIn.inspectionRoot), post({ kind: 'meteor' }));
    expect(bad.status).toBe(400);
  });

  it('simulates a user message and reads the bot replies and API calls', async () => {
    const { update } = await getJson<{ update: { update_id: number; message: { text: string } } }>(
      'user-messages',
      post({ fromId: 777, text: '/start' }),
    );
    expect(update.message.text).toBe('/start');
    const [received] = await bot.telegram.getUpdates(0, 100, 0, undefined);
    expect(received?.update_id).toBe(update.update_id);
    await bot.telegram.sendMessage(777, 'Welcome');
    const { messages } = await getJson<{ messages: StandInMessage[] }>('replies?chat=777');
    expect(messages.map((m) => m.text)).toEqual(['Welcome']);
    const { calls } = await getJson<{ calls: { method: string }[] }>('calls?method=getUpdates');
    expect(calls.length).toBeGreaterThan(0);
  });

  it('streams events (server-sent events) for posts, edits and deletes', async () => {
    const controller = new AbortController();
    const response = await fetch(new URL('events', standIn.inspectionRoot), { signal: controller.signal });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const events: StandInEvent[] = [];
    const reading = (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        for (const line of buffer.split('\n\n').slice(0, -1)) {
          if (line.startsWith('data: ')) events.push(JSON.parse(line.slice(6)) as StandInEvent);
        }
        buffer = buffer.slice(buffer.lastIndexOf('\n\n') + 2);
      }
    })().catch(() => undefined);

    const sent = await bot.telegram.sendMessage('@regwire_sandbox', 'live');
    await bot.telegram.editMessageText('@regwire_sandbox', sent.message_id, undefined, 'live, edited');
    await bot.telegram.deleteMessage('@regwire_sandbox', sent.message_id);
    await eventually(() => (events.length >= 3 ? true : undefined));
    controller.abort();
    await reading;
    expect(events.map((event) => event.type)).toEqual([
      'message-posted',
      'message-edited',
      'message-deleted',
    ]);
  });

  it('programmatic onEvent sees the same events', async () => {
    const seen: string[] = [];
    const unsubscribe = standIn.onEvent((event) => seen.push(event.type));
    await bot.telegram.sendMessage('@regwire_sandbox', 'again');
    unsubscribe();
    await bot.telegram.sendMessage('@regwire_sandbox', 'unseen');
    expect(seen).toEqual(['message-posted']);
  });
});
