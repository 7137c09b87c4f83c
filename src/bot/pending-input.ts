/** Text the bot asked an editor for: the story text for a page it could not read, or an edit's new text. */
export type PendingInput =
  | { readonly kind: 'story-text'; readonly url: string }
  | { readonly kind: 'edit'; readonly storyId: string };

/**
 * What each editor was last asked to send, until they send it, start something else or `ttlMs` passes.
 * Keyed by user and chat, so a question asked in private is not answered by a message in a group.
 */
export class PendingInputs {
  readonly #entries = new Map<string, { readonly input: PendingInput; readonly expiresAt: number }>();

  constructor(
    private readonly now: () => number,
    private readonly ttlMs = 15 * 60_000,
  ) {}

  set(userId: number, chatId: number, input: PendingInput): void {
    this.#entries.set(`${userId}:${chatId}`, { input, expiresAt: this.now() + this.ttlMs });
    if (this.#entries.size > 1_000) {
      for (const [key, entry] of this.#entries) if (entry.expiresAt <= this.now()) this.#entries.delete(key);
    }
  }

  /** Takes (and forgets) what the user was asked for, if it has not expired. */
  take(userId: number, chatId: number): PendingInput | undefined {
    const key = `${userId}:${chatId}`;
    const entry = this.#entries.get(key);
    this.#entries.delete(key);
    return entry && entry.expiresAt > this.now() ? entry.input : undefined;
  }

  clear(userId: number, chatId: number): void {
    this.#entries.delete(`${userId}:${chatId}`);
  }
}
