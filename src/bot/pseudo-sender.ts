/**
 * Telegram accounts that stand in for someone else: GroupAnonymousBot (1087968824, every anonymous group
 * admin in every group), the service account 777000 (a linked channel's posts in its discussion group)
 * and Channel_Bot (136817688, messages sent "as a channel"). Their id says nothing about who wrote.
 * https://core.telegram.org/bots/api#message (`from`, `sender_chat`)
 */
export const PSEUDO_USER_IDS: ReadonlySet<number> = new Set([1087968824, 777000, 136817688]);

/** What a message says about its sender, as far as membership of a chat goes. */
export interface MessageSender {
  readonly from?: { readonly id: number; readonly is_bot?: boolean };
  /** Set when a chat (an anonymous admin's group, a channel) wrote the message, not the user in `from`. */
  readonly sender_chat?: { readonly id: number };
}

/**
 * Whether the message was written by a person whose `from.id` is theirs alone: not on behalf of a chat
 * (`sender_chat`), not by a pseudo-user, not by a bot. Only such a message shows that `from.id` is in the
 * chat it was written in.
 */
export function isPersonalSender(message: MessageSender): boolean {
  const from = message.from;
  if (!from || message.sender_chat !== undefined || from.is_bot === true) return false;
  return !PSEUDO_USER_IDS.has(from.id);
}
