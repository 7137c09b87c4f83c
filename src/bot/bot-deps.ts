import type { Actor } from '../domain/history.js';
import type { ForceReply, InlineKeyboardMarkup } from '../domain/rendered.js';
import type { XPricing } from '../format/x-cost.js';
import type { CurrentDrafts } from '../ports/current-drafts.js';
import type { Desk, StoryView, XLinkChoice } from '../ports/desk.js';
import { describeInstant } from '../schedule/describe-instant.js';
import type { Logger } from '../util/logger.js';
import type { AccessDecision, AccessPolicy, Requester } from './access-policy.js';
import { previewKeyboard } from './keyboards.js';
import type { OnceRegistry } from './once-registry.js';
import type { Outbox } from './outbox.js';
import type { FetchPage } from './page-metadata.js';
import type { PendingInputs } from './pending-input.js';
import { channelPreview, previewMessages } from './preview-text.js';
import { splitMessage } from './split-message.js';

/** A Telegram user as updates carry it. */
export interface TelegramUser {
  readonly id: number;
  readonly first_name?: string;
  readonly last_name?: string;
  readonly username?: string;
}

/** What the command, button and alert handlers share. */
export interface BotDeps {
  readonly desk: Desk;
  readonly outbox: Outbox;
  readonly logger: Logger;
  readonly now: () => number;
  readonly policy: AccessPolicy;
  /** Whether a request may change anything (looks up editors' chat membership when it must). */
  readonly access: (requester: Requester) => Promise<AccessDecision>;
  readonly pending: PendingInputs;
  /** Each chat's current draft: what a command without a story id acts on. */
  readonly drafts: CurrentDrafts;
  readonly once: OnceRegistry;
  readonly fetchPage: FetchPage;
  /** X's prices, for the cost a preview shows; none shown without them. */
  readonly xPricing?: XPricing;
  /** Aborted when the bot stops: in-flight page fetches end. */
  readonly stopping: AbortSignal;
}

/** The desk's actor for a Telegram user: "@alice" when they have a username, else their name. */
export function actorOf(user: TelegramUser): Actor {
  const fullName = [user.first_name, user.last_name].filter(Boolean).join(' ');
  const name = user.username ? `@${user.username}` : fullName || `user ${user.id}`;
  return { kind: 'editor', id: user.id, name };
}

/** "by @alice, Sat 28 Nov 2026, 14:30 (Europe/Berlin)". */
export function byLine(deps: BotDeps, actor: Actor): string {
  return `by ${actor.name}, ${describeInstant(deps.now(), deps.desk.timeZone())}`;
}

/** Sends text of any length (split at 4096), the keyboard under the last part. */
export async function say(
  deps: BotDeps,
  chatId: number,
  text: string,
  keyboard?: InlineKeyboardMarkup | ForceReply,
): Promise<void> {
  const parts = splitMessage(text);
  for (const [i, part] of parts.entries()) {
    await deps.outbox.text(chatId, part, i === parts.length - 1 ? keyboard : undefined);
  }
}

/**
 * The preview: the channel post exactly as followers will see it (same call, text and entities, without its
 * buttons), then the thread, timing and hygiene report with the preview buttons under the last message.
 * Resolves to whether every message went out (a failure is logged by the outbox, never thrown).
 */
export async function sendPreview(
  deps: BotDeps,
  chatId: number,
  view: StoryView,
  intro?: string,
): Promise<boolean> {
  let delivered = true;
  const sent = (message: unknown) => {
    if (message === undefined) delivered = false;
  };
  if (intro) sent(await deps.outbox.text(chatId, intro));
  for (const payload of view.rendered.telegram)
    sent(await deps.outbox.payload(chatId, channelPreview(payload)));
  const choices = linkChoices(deps, view);
  const onX = view.destinations.some((d) => d.platform === 'x') && view.rendered.x.length > 0;
  const preflight = onX ? await deps.desk.xPreflight(view.rendered) : undefined;
  const messages = previewMessages(view, deps.desk.timeZone(), deps.xPricing, choices, preflight);
  const keyboard = previewKeyboard(view.story.id, choices);
  for (const [i, text] of messages.entries()) {
    sent(await deps.outbox.text(chatId, text, i === messages.length - 1 ? keyboard : undefined));
  }
  return delivered;
}

/**
 * The story's thread under each link policy, for a preview: only for a story with a link that has a thread
 * on X whose tweets are not out yet (a link policy can still change).
 */
export function linkChoices(
  deps: Pick<BotDeps, 'desk'>,
  view: StoryView,
): readonly XLinkChoice[] | undefined {
  const onX = view.destinations.filter((d) => d.platform === 'x');
  const open = onX.some((d) => d.state === 'draft' || d.state === 'scheduled');
  if (!view.story.url || !open) return undefined;
  return deps.desk.xLinkChoices(view.story);
}
