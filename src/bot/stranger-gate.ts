/** How long a refused non-editor is not asked about again nor answered again. Default of {@link StrangerGate}. */
export const STRANGER_QUIET_MS = 5 * 60_000;

const MAX_REMEMBERED = 10_000;

/**
 * Remembers who was refused as a non-editor, so a stranger's flood costs neither a `getChatMember` call
 * nor a reply per message: for `quietMs` after a refusal they are refused from memory, and told so at most
 * once. Someone seen writing in the editors' chat is forgotten at once (they may have just been added).
 */
export class StrangerGate {
  readonly #refusedAt = new Map<number, number>();

  constructor(
    private readonly now: () => number,
    private readonly quietMs = STRANGER_QUIET_MS,
  ) {}

  /** Whether `userId` was refused within the quiet period (then refuse again without asking anyone). */
  isRefused(userId: number): boolean {
    const at = this.#refusedAt.get(userId);
    return at !== undefined && this.now() - at < this.quietMs;
  }

  /**
   * Records a refusal; true when the stranger should be told (the first refusal of a quiet period),
   * false when they were told less than `quietMs` ago.
   */
  refuse(userId: number): boolean {
    if (this.isRefused(userId)) return false;
    this.#refusedAt.delete(userId);
    this.#refusedAt.set(userId, this.now());
    // Oldest first in a Map: forget the least recently refused beyond the bound.
    if (this.#refusedAt.size > MAX_REMEMBERED) {
      const oldest = this.#refusedAt.keys().next().value;
      if (oldest !== undefined) this.#refusedAt.delete(oldest);
    }
    return true;
  }

  forget(userId: number): void {
    this.#refusedAt.delete(userId);
  }
}
