import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { InputError } from '../errors/input-error.js';
import type { Logger } from '../util/logger.js';
import type { EditorChat } from './editor-chat.js';
import type { FeedSource } from './feed.js';
import { createLoginThrottle, type LoginThrottle, type LoginThrottleOptions } from './login-throttle.js';
import { handleOpsRoute, type OpsEndpoints } from './ops-routes.js';
import { SANDBOX_PAGE } from './sandbox-page.js';

/** Queues a story given as the page's form fields; resolves to its id or throws InputError. */
export type QueueFromWeb = (input: unknown) => Promise<string>;

/**
 * What {@link startWebServer} serves and where: the page and its API (queueing, the sandbox feed and chat)
 * and the ops endpoints, on `host:port`.
 */
export interface WebServerOptions {
  readonly host: string;
  readonly port: number;
  /** Present in sandbox mode: the page shows the stand-ins' channel and timeline. */
  readonly feed?: FeedSource;
  readonly queue?: QueueFromWeb;
  /** Present in sandbox mode: the page's editor chat with the bot (see `editor-chat.ts`). */
  readonly editorChat?: EditorChat;
  /** Health, readiness, metrics and the queue dashboard. */
  readonly ops?: OpsEndpoints;
  /** Serve the page and its API; false for processes that only expose health and metrics. Default true. */
  readonly page?: boolean;
  readonly logger: Logger;
  /** Wrong dashboard passwords per client address before 429 (default 10 per 10 minutes). */
  readonly adminLoginLimit?: LoginThrottleOptions;
}

export interface WebServer {
  readonly url: string;
  close(): Promise<void>;
}

// A story form is small; anything bigger is refused before it is buffered.
const MAX_BODY_BYTES = 256 * 1024;

/** Starts the web page and its small JSON API on `host:port`. */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const loginThrottle = createLoginThrottle(options.adminLoginLimit);
  const server = http.createServer((req, res) => {
    handle(req, res, options, loginThrottle).catch((err: unknown) => {
      options.logger.error({ err: (err as Error).message, path: req.url }, 'web request failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      else res.end();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}/`,
    close: () => {
      // Idempotent: shutdown paths may close twice (signal + test teardown).
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

async function handle(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  options: WebServerOptions,
  loginThrottle: LoginThrottle,
): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (await handleOpsRoute(req, res, path, options.ops ?? {}, loginThrottle)) return;
  if (options.page === false)
    return sendJson(res, 404, { error: 'this process serves only /healthz, /readyz and /metrics' });
  if (req.method === 'GET' && path === '/') {
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy':
        "default-src 'self'; img-src * data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'",
    });
    res.end(SANDBOX_PAGE);
    return;
  }
  if (req.method === 'GET' && path === '/api/feed') {
    if (!options.feed) return sendJson(res, 404, { error: 'the feed is only shown in sandbox mode' });
    return sendJson(res, 200, options.feed.snapshot());
  }
  if (req.method === 'POST' && path === '/api/stories') {
    if (!options.queue)
      return sendJson(res, 404, { error: 'queueing from the page is only enabled in sandbox mode' });
    try {
      const storyId = await options.queue(await readJson(req));
      return sendJson(res, 201, { storyId });
    } catch (err) {
      if (err instanceof InputError) return sendJson(res, 400, { error: err.message });
      throw err;
    }
  }
  if (path.startsWith('/api/editor/')) return handleEditorChat(req, res, path, options.editorChat);
  sendJson(res, 404, { error: 'not found' });
}

// ---- sandbox editor chat: the page acts as an editor talking to the bot on the Telegram stand-in ----

async function handleEditorChat(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  path: string,
  chat: EditorChat | undefined,
): Promise<void> {
  if (!chat) return sendJson(res, 404, { error: 'the editor chat is only available in sandbox mode' });
  if (req.method === 'GET' && path === '/api/editor/chat') return sendJson(res, 200, chat.snapshot());
  const known = path === '/api/editor/messages' || path === '/api/editor/press';
  if (req.method !== 'POST' || !known) return sendJson(res, 404, { error: 'not found' });
  let body: { text?: unknown; messageId?: unknown; data?: unknown };
  try {
    body = ((await readJson(req)) ?? {}) as typeof body;
  } catch (err) {
    if (err instanceof InputError) return sendJson(res, 400, { error: err.message });
    throw err;
  }
  let result: { ok: boolean; error?: string };
  if (path === '/api/editor/messages' && typeof body.text === 'string') result = chat.send(body.text);
  else if (
    path === '/api/editor/press' &&
    Number.isSafeInteger(body.messageId) &&
    typeof body.data === 'string'
  ) {
    result = chat.press(body.messageId as number, body.data);
  } else return sendJson(res, 400, { error: 'expected { text } or { messageId, data }' });
  return result.ok ? sendJson(res, 202, { ok: true }) : sendJson(res, 400, { error: result.error });
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new InputError('request body is larger than 256 KB');
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new InputError('request body is not valid JSON');
  }
}

function sendJson(res: http.ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(value));
}
