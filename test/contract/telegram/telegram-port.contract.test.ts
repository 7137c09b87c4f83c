import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createTelegramClient,
  createTelegramPublisher,
  TelegrafTelegramPublisher,
} from '../../../src/adapters/telegram/index.js';
import type { TelegramPayload } from '../../../src/domain/rendered.js';
import { PublishError, type PublishErrorKind } from '../../../src/errors/publish-error.js';
import type { TelegramPort } from '../../../src/ports/telegram-port.js';
import {
  startTelegramStandIn,
  TELEGRAM_SANDBOX_BOT,
  type TelegramStandIn,
} from '../../../src/sandbox/standins/telegram/index.js';

const CHANNEL = '@regwire_sandbox';
const TOKEN = TELEGRAM_SANDBOX_BOT.token;
const SECRET_PART = TOKEN.split(':')[1]!;

const payloads: readonly [string, TelegramPayload][] = [
  [
    'sendMessage',
    {
      method: 'sendMessage',
      text: 'SEC sues exchange — source',
      entities: [
        { type: 'bold', offset: 0, length: 17 },
        { type: 'text_link', offset: 20, length: 6, url: 'https://example.com/a' },
      ],
      link_preview_options: { is_disabled: true },
      reply_markup: { inline_keyboard: [[{ text: 'Read', url: 'https://example.com/a' }]] },
    },
  ],
  [
    'sendPhoto',
    {
      method: 'sendPhoto',
      photo: 'https://example.com/photo.jpg',
      caption: 'Chart of the day',
      caption_entities: [{ type: 'italic', offset: 0, length: 5 }],
    },
  ],
];

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function failure(call: Promise<unknown>): Promise<PublishError> {
  const error = await call.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error, 'send should have failed').toBeInstanceOf(PublishError);
  const publishError = error as PublishError;
  // Never a token in anything an operator or a log might see.
  const visible = [
    publishError.message,
    publishError.reason,
    String(publishError.cause),
    publishError.stack ?? '',
    JSON.stringify(publishError),
  ].join('\n');
  expect(visible).not.toContain(SECRET_PART);
  return publishError;
}

let standIn: TelegramStandIn;
let port: TelegramPort;

beforeAll(async () => {
  standIn = await startTelegramStandIn({ floodLimits: false });
  port = new TelegrafTelegramPublisher(createTelegramClient({ token: TOKEN, apiRoot: standIn.apiRoot }), {
    timeoutMs: 400,
  });
});

afterAll(async () => {
  await standIn.close();
});

beforeEach(() => {
  standIn.faults.clear();
});

describe.each(payloads)('TelegramPort over telegraf against the stand-in: %s', (method, payload) => {
  const recorded = () => standIn.messages(CHANNEL);

  it('returns the message id the stand-in recorded, with exactly the payload parameters', async () => {
    const sent = await port.send(CHANNEL, payload);
    const message = recorded().at(-1);
    expect(message?.message_id).toBe(sent.messageId);
    if (payload.method === 'sendMessage') {
      expect(message).toMatchObject({
        text: payload.text,
        entities: payload.entities,
        link_preview_options: payload.link_preview_options,
        reply_markup: payload.reply_markup,
      });
    } else {
      expect(message).toMatchObject({
        photoSource: { kind: 'url', url: payload.photo },
        caption: payload.caption,
        caption_entities: payload.caption_entities,
      });
    }
    expect(standIn.calls(method).length).toBeGreaterThan(0);
  });

  it.each<[string, Parameters<TelegramStandIn['faults']['add']>[0], PublishErrorKind, number | undefined]>([
    ['429 → rate-limited', { kind: 'http-429', retryAfterSec: 7 }, 'rate-limited', 429],
    // Telegram's front end may answer 5xx after the message was posted, and it cannot be looked up.
    ['500 → unknown-outcome', { kind: 'http-500' }, 'unknown-outcome', 500],
  ])('%s', async (_label, fault, kind, status) => {
    standIn.faults.add({ ...fault, method, times: 1 });
    const before = recorded().length;
    const error = await failure(port.send(CHANNEL, payload));
    expect(error.kind).toBe(kind);
    expect(error.status).toBe(status);
    if (kind === 'rate-limited') expect(error.retryAfterMs).toBe(7_000);
    expect(recorded()).toHaveLength(before);
  });

  it('unknown chat → permanent, with the Bot API description as reason', async () => {
    const error = await failure(port.send('@no_such_channel', payload));
    expect(error).toMatchObject({ kind: 'permanent', status: 400, reason: 'Bad Request: chat not found' });
    expect(error.retryable).toBe(false);
  });

  it('content the API refuses → permanent', async () => {
    const tooLong: TelegramPayload =
      payload.method === 'sendMessage'
        ? { ...payload, text: 'x'.repeat(4097), entities: [] }
        : { ...payload, caption: 'x'.repeat(1025), caption_entities: [] };
    const error = await failure(port.send(CHANNEL, tooLong));
    expect(error.kind).toBe('permanent');
    expect(error.reason).toMatch(/^Bad Request: message (caption )?is too long$/);
  });

  it('wrong token → auth, and the token stays out of the error', async () => {
    const stranger = createTelegramPublisher({
      token: '987654:revoked-secret-value',
      apiRoot: standIn.apiRoot,
    });
    const error = await failure(stranger.send(CHANNEL, payload));
    expect(error).toMatchObject({ kind: 'auth', status: 401, reason: 'Unauthorized' });
    expect(JSON.stringify({ m: error.message, r: error.reason })).not.toContain('revoked-secret-value');
  });

  it('drop-after → unknown-outcome, and the message WAS posted', async () => {
    standIn.faults.add({ kind: 'drop-after', method, times: 1 });
    const before = recorded().length;
    const error = await failure(port.send(CHANNEL, payload));
    expect(error.kind).toBe('unknown-outcome');
    expect(error.retryable).toBe(false);
    expect(recorded()).toHaveLength(before + 1);
  });

  it('timeout-after → unknown-outcome once timeoutMs passes, and the message WAS posted', async () => {
    standIn.faults.add({ kind: 'timeout-after', method, times: 1 });
    const before = recorded().length;
    const started = Date.now();
    const error = await failure(port.send(CHANNEL, payload));
    expect(error.kind).toBe('unknown-outcome');
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(recorded()).toHaveLength(before + 1);
  });

  it('drop-before → unknown-outcome (indistinguishable for the client), and nothing was posted', async () => {
    standIn.faults.add({ kind: 'drop-before', method, times: 1 });
    const before = recorded().length;
    const error = await failure(port.send(CHANNEL, payload));
    expect(error.kind).toBe('unknown-outcome');
    expect(recorded()).toHaveLength(before);
  });

  it('latency under the timeout still succeeds', async () => {
    standIn.faults.add({ kind: 'latency', latencyMs: 100, method, times: 1 });
    const sent = await port.send(CHANNEL, payload);
    expect(recorded().at(-1)?.message_id).toBe(sent.messageId);
  });

  it('connection refused (closed port) → transient', async () => {
    const refused = createTelegramPublisher({
      token: TOKEN,
      apiRoot: `http://127.0.0.1:${await closedPort()}`,
    });
    const error = await failure(refused.send(CHANNEL, payload));
    expect(error.kind).toBe('transient');
    expect(error.retryable).toBe(true);
  });

  it('a caller abort before sending → transient, after sending → unknown-outcome', async () => {
    const aborted = new AbortController();
    aborted.abort();
    expect((await failure(port.send(CHANNEL, payload, aborted.signal))).kind).toBe('transient');

    standIn.faults.add({ kind: 'timeout-after', method, times: 1 });
    const later = new AbortController();
    setTimeout(() => later.abort(), 50);
    expect((await failure(port.send(CHANNEL, payload, later.signal))).kind).toBe('unknown-outcome');
  });
});

describe('TelegramPort: flood control and API roots', () => {
  it('the stand-in’s own flood limit → rate-limited with its retry_after', async () => {
    const limited = await startTelegramStandIn({ floodLimits: { perGroupPerMinute: 1 } });
    try {
      const publisher = createTelegramPublisher({ token: TOKEN, apiRoot: limited.apiRoot });
      await publisher.send(CHANNEL, payloads[0]![1]);
      const error = await failure(publisher.send(CHANNEL, payloads[0]![1]));
      expect(error.kind).toBe('rate-limited');
      expect(error.retryAfterMs).toBe(60_000);
    } finally {
      await limited.close();
    }
  });

  it('works with an API root that has a path, with or without the trailing slash', async () => {
    const proxied = await startTelegramStandIn({ basePath: '/telegram/api/' });
    try {
      expect(proxied.apiRoot).toMatch(/\/telegram\/api\/$/);
      for (const apiRoot of [proxied.apiRoot, proxied.apiRoot.slice(0, -1)]) {
        const publisher = createTelegramPublisher({ token: TOKEN, apiRoot });
        const sent = await publisher.send(CHANNEL, payloads[0]![1]);
        expect(proxied.messages(CHANNEL).at(-1)?.message_id).toBe(sent.messageId);
      }
    } finally {
      await proxied.close();
    }
  });
});
