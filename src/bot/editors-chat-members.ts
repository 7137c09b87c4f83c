/** Asks Telegram whether a user is in the editors' chat; rejects when it cannot tell. */
export type MembershipLookup = (userId: number) => Promise<boolean>;

const MAX_REMEMBERED = 1_000;

/**
 * Who is in the editors' chat, as Telegram says (`getChatMember`), remembered for `ttlMs` so a busy
 * editor does not cost a call per command. Members may use the bot in private; someone removed from the
 * chat loses that within `ttlMs` at most, at once when the bot sees them leave. An answer Telegram could
 * not give counts as "not a member" and is not remembered: access is never granted on an error.
 */
export class EditorsChatMembers {
  readonly #known = new Map<number, { readonly member: boolean; readonly atMs: number }>();

  constructor(
    private readonly lookup: MembershipLookup,
    private readonly now: () => number,
    private readonly ttlMs = 60_000,
  ) {}

  /** The user wrote in the editors' chat: Telegram lets only members do that. */
  seen(userId: number): void {
    this.#remember(userId, true);
  }

  /** The user left or was removed from the editors' chat. */
  left(userId: number): void {
    this.#remember(userId, false);
  }

  async isMember(userId: number): Promise<boolean> {
    const known = this.#known.get(userId);
    if (known && this.now() - known.atMs < this.ttlMs) return known.member;
    let member: boolean;
    try {
      member = await this.lookup(userId);
    } catch {
      return false;
    }
    this.#remember(userId, member);
    return member;
  }

  #remember(userId: number, member: boolean): void {
    this.#known.delete(userId);
    this.#known.set(userId, { member, atMs: this.now() });
    // Oldest first in a Map: forget the least recently learned beyond the bound.
    if (this.#known.size > MAX_REMEMBERED) {
      const oldest = this.#known.keys().next().value;
      if (oldest !== undefined) this.#known.delete(oldest);
    }
  }
}
