/** Who counts as an editor. */
export interface AccessPolicy {
  /** Telegram user ids of editors (`EDITOR_IDS`). */
  readonly editorIds: readonly number[];
  /** The editors' chat: when set, its members are editors too. */
  readonly editorsChatId?: number;
}

/** Where a request came from. */
export interface Requester {
  readonly userId: number | undefined;
  readonly chatId: number | undefined;
}

/** The access decision, with why, for the log. */
export type AccessDecision =
  | { readonly allowed: true; readonly reason: 'editor-id' | 'editors-chat' | 'known-member' }
  | { readonly allowed: false; readonly reason: 'not-an-editor' | 'no-user' };

/**
 * Decides whether a request may change anything. Editors are the configured ids, anyone writing in the
 * editors' chat (Telegram only lets members write there) and, anywhere, members of that chat
 * (`isChatMember`, as Telegram says; see `EditorsChatMembers`).
 */
export function decideAccess(
  requester: Requester,
  policy: AccessPolicy,
  isChatMember = false,
): AccessDecision {
  const { userId, chatId } = requester;
  if (userId === undefined) return { allowed: false, reason: 'no-user' };
  if (policy.editorIds.includes(userId)) return { allowed: true, reason: 'editor-id' };
  if (policy.editorsChatId !== undefined) {
    if (chatId === policy.editorsChatId) return { allowed: true, reason: 'editors-chat' };
    if (isChatMember) return { allowed: true, reason: 'known-member' };
  }
  return { allowed: false, reason: 'not-an-editor' };
}
