import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Telegraf } from 'telegraf';
import type { Logger } from '../util/logger.js';

/** Webhook mode: Telegram POSTs updates to `domain` + `path` with the secret-token header. */
export interface EditorBotWebhook {
  /** Public host (`bot.example.com`, https assumed) or origin (`https://bot.example.com`, `http://127.0.0.1:8443`). */
  readonly domain: string;
  /** Path of the hook, e.g. `/telegram/hook`. */
  readonly path: string;
  /** Sent by Telegram as `X-Telegram-Bot-Api-Secret-Token`; 1-256 of `A-Za-z0-9_-`. Requests without it get 403. */
  readonly secretToken: string;
  /** Where the bot's own HTTP listener binds. Default `127.0.0.1`. */
  readonly host?: string;
  /** Default 8443. */
  readonly port?: number;
}

/** The bot's own HTTP listener for Telegram's webhook calls. */
export interface WebhookServer {
  /** Binds the listener, then tells Telegram where to post (`setWebhook` with the secret token). */
  start(): Promise<void>;
  /** Where the listener is bound, once it is. */
  address(): { readonly host: string; readonly port: number } | undefined;
  /** Stops listening and ends open connections (safe before or after a failed start). */
  close(): Promise<void>;
}

/**
 * A webhook listener feeding `bot`: only POSTs to the hook's path carrying the secret token reach it; a
 * wrong secret is answered 403, anything else 404.
 */
export function createWebhookServer(bot: Telegraf, webhook: EditorBotWebhook, logger: Logger): WebhookServer {
  const origin = /^https?:\/\//.test(webhook.domain)
    ? webhook.domain.replace(/\/+$/, '')
    : `https://${webhook.domain}`;
  const path = webhook.path.startsWith('/') ? webhook.path : `/${webhook.path}`;
  const callback = bot.webhookCallback(path, { secretToken: webhook.secretToken });
  const server = http.createServer((req, res) => {
    // telegraf's filter refuses a wrong path and a wrong secret alike; only the latter is a 403.
    void callback(req, res, () => {
      res.writeHead(req.method === 'POST' && req.url === path ? 403 : 404).end();
    });
  });
  return {
    async start() {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(webhook.port ?? 8443, webhook.host ?? '127.0.0.1', () => resolve());
      });
      await bot.telegram.setWebhook(`${origin}${path}`, { secret_token: webhook.secretToken });
      logger.info({ url: `${origin}${path}` }, 'editor bot: webhook set');
    },
    address() {
      const address = server.address() as AddressInfo | null;
      return address ? { host: address.address, port: address.port } : undefined;
    },
    async close() {
      const closing = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closing;
    },
  };
}
