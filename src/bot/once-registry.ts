/** Remembers which messages' buttons were acted on, so a second press does nothing. Bounded. */
export class OnceRegistry {
  readonly #seen = new Map<string, string>();

  constructor(private readonly capacity = 5_000) {}

  /** Claims `key` with a note of who acted; undefined on success, otherwise the earlier note. */
  claim(key: string, note: string): string | undefined {
    const earlier = this.#seen.get(key);
    if (earlier !== undefined) return earlier;
    this.#seen.set(key, note);
    if (this.#seen.size > this.capacity) {
      const oldest = this.#seen.keys().next().value;
      if (oldest !== undefined) this.#seen.delete(oldest);
    }
    return undefined;
  }

  /** Gives a claim back (the action was refused, so the buttons still stand). */
  release(key: string): void {
    this.#seen.delete(key);
  }
}
