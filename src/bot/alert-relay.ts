import type { Alert } from '../ports/alert-bus.js';
import type { BotDeps } from './bot-deps.js';
import { alertKeyboard } from './keyboards.js';

const HEADINGS: Readonly<Record<Alert['kind'], string>> = {
  failed: '⚠️ Publication failed',
  'unknown-outcome': '⚠️ Outcome unknown: check the channel or timeline before retrying',
  // The message says what moved it: a platform cap, the daily cap or the story's embargo.
  moved: '⚠️ Story moved later than asked',
  // Nothing to decide per story: the destination resumes by itself once its account can pay again.
  paused: '⏸ Paused: the account cannot pay for posts (top up credits or raise the spending limit)',
  held: '⏸ Held: over the spending budget',
};

/** The alert as editors read it. */
export function alertText(alert: Alert): string {
  const part = alert.part === undefined ? '' : `, part ${alert.part + 1}`;
  return `${HEADINGS[alert.kind]}\n${alert.storyId} on ${alert.destination}${part}: ${alert.message}\n/status ${alert.storyId}`;
}

/** Chats alerts go to: the editors' chat, or each editor's private chat when there is none. */
export function alertChats(deps: Pick<BotDeps, 'policy'>): number[] {
  return deps.policy.editorsChatId !== undefined ? [deps.policy.editorsChatId] : [...deps.policy.editorIds];
}

/**
 * Relays the desk's alerts to the editors with Retry · Skip · Mark as posted. A chat the bot cannot write to
 * (an editor who never started it) is logged, not fatal. The listener settles once every chat's message is
 * done with, and rejects when the alert reached no chat at all: the bus then keeps it and hands it out
 * again (later, or at the next start). Returns the unsubscriber.
 */
export function relayAlerts(deps: BotDeps, send: (task: () => Promise<void>) => Promise<void>): () => void {
  return deps.desk.onAlert(async (alert) => {
    const text = alertText(alert);
    const keyboard =
      alert.kind === 'paused'
        ? undefined
        : alertKeyboard(alert.storyId, alert.destination, {
            newThread: await threadStoppedMidway(deps, alert),
            budget: alert.kind === 'held',
          });
    const chats = alertChats(deps);
    const delivered = await Promise.all(
      chats.map((chatId) => {
        let sent = false;
        return send(async () => {
          sent = (await deps.outbox.text(chatId, text, keyboard)) !== undefined;
          if (!sent) deps.logger.warn({ chatId, storyId: alert.storyId }, 'editor bot: alert not delivered');
        }).then(
          () => sent,
          (error: Error) => {
            deps.logger.warn(
              { chatId, storyId: alert.storyId, err: error.message },
              'editor bot: alert failed',
            );
            return false;
          },
        );
      }),
    );
    if (chats.length > 0 && !delivered.some(Boolean)) {
      throw new Error(`the alert about ${alert.storyId} on ${alert.destination} reached no editor`);
    }
  });
}

/** An X thread that stopped after its first tweet: its rest may go out as a new thread. */
async function threadStoppedMidway(deps: BotDeps, alert: Alert): Promise<boolean> {
  if (alert.kind === 'moved' || alert.kind === 'paused' || alert.part === undefined || alert.part === 0)
    return false;
  const view = await deps.desk.view(alert.storyId).catch(() => undefined);
  if (!view?.ok) return false;
  return view.value.destinations.some((d) => d.destination === alert.destination && d.platform === 'x');
}
