/** Who did something: an editor (Telegram user), the CLI, the web page or regwire itself. */
export interface Actor {
  readonly kind: 'editor' | 'cli' | 'web' | 'system';
  /** Telegram user id for editors. */
  readonly id?: number;
  /** Display name, e.g. "@alice" or "Alice". */
  readonly name: string;
}

/** An editor action as recorded in the story's history. */
export interface HistoryEntry {
  readonly at: string;
  readonly actor: Actor;
  readonly action: string;
}
