import type { BotRecord, StandInState } from './stand-in-state.js';

const inFlight = new WeakSet<BotRecord>();

/**
 * Posts a bot's pending updates to its webhook, one at a time, with the secret-token header. A failed
 * delivery is recorded in `getWebhookInfo` (`last_error_*`) and the update dropped; the real API retries.
 */
export async function deliverToWebhook(state: StandInState, bot: BotRecord): Promise<void> {
  if (inFlight.has(bot)) return;
  inFlight.add(bot);
  try {
    for (;;) {
      const webhook = bot.webhook;
      if (!webhook) return;
      const update = bot.queue.shift();
      if (!update) return;
      try {
        const response = await fetch(webhook.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(webhook.secretToken ? { 'x-telegram-bot-api-secret-token': webhook.secretToken } : {}),
          },
          body: JSON.stringify(update),
          signal: AbortSignal.timeout(10_000),
        });
        await response.arrayBuffer();
        if (!response.ok)
          throw new Error(`Wrong response from the webhook: ${response.status} ${response.statusText}`);
      } catch (error) {
        webhook.lastErrorDate = state.nowSeconds();
        webhook.lastErrorMessage = error instanceof Error ? error.message : String(error);
      }
    }
  } finally {
    inFlight.delete(bot);
  }
}
