import type { Telegraf } from 'telegraf';
import type { Logger } from '../util/logger.js';
import { type AccessDecision, type AccessPolicy, decideAccess, type Requester } from './access-policy.js';
import type { EditorsChatMembers, MembershipLookup } from './editors-chat-members.js';
import { PSEUDO_USER_IDS } from './pseudo-sender.js';
import type { StrangerGate } from './stranger-gate.js';

/** What {@link createAccessCheck} decides with. */
export interface AccessCheckOptions {
  /** The configured editors and the editors' chat. */
  readonly policy: AccessPolicy;
  /** Membership of the editors' chat as Telegram says it; absent when there is no editors' chat. */
  readonly members?: EditorsChatMembers;
  /** Strangers refused a moment ago: refused again from memory, without asking Telegram. */
  readonly strangers: StrangerGate;
}

/**
 * Whether a request may change anything: {@link decideAccess} on the ids and the chat, and only for
 * someone it refuses there, a membership lookup in the editors' chat (remembered, see
 * `EditorsChatMembers`).
 */
export function createAccessCheck(
  options: AccessCheckOptions,
): (requester: Requester) => Promise<AccessDecision> {
  const { policy, members, strangers } = options;
  return async (requester) => {
    const decision = decideAccess(requester, policy);
    // Only someone refused on the ids and the chat alone is worth asking Telegram about; never about a
    // pseudo-user (Telegram's answer would be about everyone who posts as it).
    if (decision.reason !== 'not-an-editor' || !members || requester.userId === undefined) return decision;
    if (PSEUDO_USER_IDS.has(requester.userId) || strangers.isRefused(requester.userId)) return decision;
    return decideAccess(requester, policy, await members.isMember(requester.userId));
  };
}

/** Asks Telegram whether a user is in `chatId` (getChatMember). A 400 ("user not found") is a definite no. */
export function membershipLookup(
  telegram: Telegraf['telegram'],
  chatId: number,
  logger: Logger,
): MembershipLookup {
  return async (userId) => {
    try {
      const member = await telegram.getChatMember(chatId, userId);
      return (
        member.status === 'creator' ||
        member.status === 'administrator' ||
        member.status === 'member' ||
        (member.status === 'restricted' && member.is_member)
      );
    } catch (error) {
      if ((error as { code?: number }).code === 400) return false;
      logger.warn({ userId, err: (error as Error).message }, 'editor bot: could not check chat membership');
      throw error;
    }
  };
}
