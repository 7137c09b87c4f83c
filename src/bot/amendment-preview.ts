import type { InlineKeyboardMarkup, MessageEntity, TelegramPayload } from '../domain/rendered.js';
import { TELEGRAM_LIMITS } from '../format/limits.js';
import { wordDiff } from '../format/word-diff.js';
import type { AmendmentPreview, ChannelChange } from '../ports/desk-amendments.js';
import { type BotDeps, say } from './bot-deps.js';
import { type AmendmentAction, encodeCallback } from './callback-data.js';

/** Under a correction's or retraction's preview: Confirm · Cancel. */
export function amendmentKeyboard(storyId: string, amendmentId: string): InlineKeyboardMarkup {
  const button = (text: string, action: AmendmentAction) => ({
    text,
    callback_data: encodeCallback({ kind: 'amendment', action, storyId, amendmentId }),
  });
  return { inline_keyboard: [[button('Confirm', 'confirm'), button('Cancel', 'cancel')]] };
}

/** "3 h ago", "2 days ago": how old a post is, for the 48-hour rule. */
function age(sentAt: string | undefined, nowMs: number): string {
  if (sentAt === undefined) return 'sent at an unknown time';
  const hours = Math.max(0, Math.floor((nowMs - Date.parse(sentAt)) / 3_600_000));
  if (hours < 1) return 'sent less than an hour ago';
  if (hours < 48) return `sent ${hours} h ago`;
  return `sent ${Math.floor(hours / 24)} days ago`;
}

/** A header line above a body with its entities, as one message within Telegram's 4096 characters. */
function headed(header: string, body: string, entities: readonly MessageEntity[]): TelegramPayload {
  const shift = header.length + 2;
  return {
    method: 'sendMessage',
    text: `${header}\n\n${body}`,
    entities: entities.map((e) => ({ ...e, offset: e.offset + shift })),
    link_preview_options: { is_disabled: true },
  };
}

/**
 * What one channel post becomes, as a message: a correction's before → after as a word diff (removed
 * words struck through, added words bold and underlined); a retraction's deletion, or the notice an old
 * post is edited into.
 */
export function channelChangeMessage(change: ChannelChange, nowMs: number): TelegramPayload {
  const post = `the channel post (message ${change.messageId}, ${age(change.sentAt, nowMs)})`;
  const room = (header: string) => TELEGRAM_LIMITS.messageText - header.length - 2;
  if (change.action === 'edit') {
    const header = `${change.destination}: ${post} is edited in place. Struck through: removed; bold underlined: added.`;
    const diff = wordDiff(change.before, change.after, room(header));
    return headed(header, diff.text, diff.entities);
  }
  const header =
    change.action === 'delete'
      ? `${change.destination}: ${post} is deleted (Telegram allows it for 48 hours after sending). Should Telegram refuse, it becomes this notice:`
      : `${change.destination}: ${post} is too old to delete (Telegram allows it for 48 hours): it is edited into this notice:`;
  const notice =
    change.after.length > room(header) ? `${change.after.slice(0, room(header) - 1)}…` : change.after;
  return headed(header, notice, []);
}

/** What goes to X (the correction reply, or the tweets deleted and the notice), and a live post unpinned. */
function xLines(preview: AmendmentPreview): string[] {
  const lines: string[] = [];
  for (const op of preview.view.amendment.operations) {
    for (const step of op.steps) {
      if (step.kind === 'telegram-unpin')
        lines.push(`${op.destination}: the live story's post (message ${step.messageId}) is unpinned first`);
      if (step.kind === 'x-reply')
        lines.push(`${op.destination}: a reply under tweet ${step.replyToId}:`, step.text);
      if (step.kind === 'x-post') lines.push(`${op.destination}: then a notice:`, step.text);
    }
    const deletes = op.steps.flatMap((s) => (s.kind === 'x-delete' ? [s.tweetId] : []));
    if (deletes.length > 0) {
      lines.push(
        `${op.destination}: ${deletes.length} tweet${deletes.length === 1 ? '' : 's'} deleted, newest first (${deletes.join(', ')})`,
      );
    }
  }
  return lines;
}

/**
 * Shows a proposed correction or retraction as it will go out: each channel post's change (the diff, or
 * what is deleted or edited into a notice), then what X gets, with Confirm · Cancel under it. Nothing is
 * sent before Confirm.
 */
export async function sendAmendmentPreview(
  deps: BotDeps,
  chatId: number,
  name: string,
  preview: AmendmentPreview,
): Promise<void> {
  const { amendment, storyId } = preview.view;
  const nowMs = deps.now();
  await say(
    deps,
    chatId,
    `${amendment.kind === 'correction' ? 'Correction' : 'Retraction'} ${amendment.id} of ${name}: ${amendment.text}`,
  );
  for (const change of preview.channel)
    await deps.outbox.payload(chatId, channelChangeMessage(change, nowMs));
  const lines = [
    ...xLines(preview),
    '',
    `Nothing is sent before you press Confirm (${amendment.kind} ${amendment.id} of ${storyId}).`,
  ];
  await say(deps, chatId, lines.join('\n').trim(), amendmentKeyboard(storyId, amendment.id));
}
