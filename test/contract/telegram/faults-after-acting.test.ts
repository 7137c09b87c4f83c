import { Telegraf } from 'telegraf';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type FaultKind,
  STAND_IN_FAULT_KINDS,
  startTelegramStandIn,
  TELEGRAM_SANDBOX_BOT,
  type TelegramStandIn,
} from '../../../src/sandbox/standins/telegram/index.js';
import { expectTelegramError } from '../../support/telegram-test-kit.js';

const CHANNEL = '@regwire_sandbox';

let standIn: TelegramStandIn;
let bot: Telegraf;

beforeAll(async () => {
  standIn = await startTelegramStandIn({ floodLimits: false });
  bot = new Telegraf(TELEGRAM_SANDBOX_BOT.token, { telegram: { apiRoot: standIn.apiRoot } });
});

afterAll(async () => {
  await standIn.close();
});

beforeEach(() => {
  standIn.faults.clear();
});

const texts = () => standIn.messages(CHANNEL).map((message) => message.text ?? message.caption);

describe('Bot API stand-in: 5xx before the API acts', () => {
  it.each([
    ['http-500', 500, 'Internal Server Error'],
    ['http-502', 502, 'Bad Gateway'],
    ['http-503', 503, 'Service Unavailable'],
    ['http-504', 504, 'Gateway Timeout'],
  ] as const)('%s answers %i and posts nothing', async (kind, status, statusText) => {
    standIn.faults.add({ kind, method: 'sendMessage', times: 1 });
    await expectTelegramError(bot.telegram.sendMessage(CHANNEL, `before ${kind}`), status, statusText);
    expect(texts()).not.toContain(`before ${kind}`);
  });
});

describe('Bot API stand-in: the API acts, then the front end fails', () => {
  it.each([
    ['http-500-after', 500, 'Internal Server Error'],
    ['http-502-after', 502, 'Bad Gateway'],
    ['http-503-after', 503, 'Service Unavailable'],
    ['http-504-after', 504, 'Gateway Timeout'],
  ] as const)('%s answers %i, and the message WAS posted, once', async (kind, status, statusText) => {
    standIn.faults.add({ kind, method: 'sendMessage', times: 1 });
    await expectTelegramError(bot.telegram.sendMessage(CHANNEL, `after ${kind}`), status, statusText);
    expect(texts().filter((text) => text === `after ${kind}`)).toHaveLength(1);
  });

  it('a gateway status comes with the front end’s HTML page, not a Bot API JSON body', async () => {
    standIn.faults.add({ kind: 'http-502-after', method: 'sendMessage', times: 1 });
    const response = await fetch(`${standIn.apiRoot}bot${TELEGRAM_SANDBOX_BOT.token}/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ chat_id: CHANNEL, text: 'raw 502' }),
    });
    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toBe('text/html');
    expect(await response.text()).toContain('<title>502 Bad Gateway</title>');
    expect(texts()).toContain('raw 502');
  });

  it('applies to sendPhoto too: the photo exists although the call failed', async () => {
    standIn.faults.add({ kind: 'http-504-after', method: 'sendPhoto', times: 1 });
    await expectTelegramError(
      bot.telegram.sendPhoto(CHANNEL, 'https://example.com/chart.png', { caption: 'chart after 504' }),
      504,
      'Gateway Timeout',
    );
    expect(texts()).toContain('chart after 504');
  });

  it('lists every kind over HTTP and arms an after-kind through the fault route', async () => {
    const listed = (await (await fetch(`${standIn.inspectionRoot}fault-kinds`)).json()) as {
      kinds: string[];
    };
    expect(listed.kinds).toEqual([...STAND_IN_FAULT_KINDS]);
    for (const kind of ['http-502-after', 'drop-after', 'timeout-after'] satisfies FaultKind[]) {
      expect(listed.kinds).toContain(kind);
    }
    const armed = await fetch(`${standIn.inspectionRoot}faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'http-503-after', method: 'sendMessage', times: 1 }),
    });
    expect(armed.status).toBe(200);
    await expectTelegramError(
      bot.telegram.sendMessage(CHANNEL, 'armed over HTTP'),
      503,
      'Service Unavailable',
    );
    expect(texts()).toContain('armed over HTTP');

    const refused = await fetch(`${standIn.inspectionRoot}faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'http-501-after' }),
    });
    expect(refused.status).toBe(400);
  });
});
