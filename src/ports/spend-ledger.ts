/** One billed call, as regwire counts it (X's prices from config, at the time of the call). */
export interface SpendEntry {
  /** `create`, `create-with-url` or `read` (posts read by a reconcile). */
  readonly kind: 'create' | 'create-with-url' | 'read';
  readonly usd: number;
  /** When the call was made, epoch ms (its UTC day and month count it). */
  readonly atMs: number;
}

/** What a destination has spent in the UTC day and month of an instant. */
export interface SpendTotals {
  readonly dayUsd: number;
  readonly monthUsd: number;
}

/**
 * What regwire has spent on a paying platform (X), per destination by UTC day and month, and per story.
 * Written beside each call, never in its way: a record that fails is logged, the post stands.
 */
export interface SpendLedger {
  record(destination: string, storyId: string, entry: SpendEntry): Promise<void>;
  /** The day's and the month's spend on `destination` at `atMs` (UTC). */
  totals(destination: string, atMs: number): Promise<SpendTotals>;
  /** What one story cost on `destination`, by kind (USD); empty when nothing was billed. */
  ofStory(
    storyId: string,
    destination: string,
  ): Promise<Readonly<Partial<Record<SpendEntry['kind'], number>>>>;
}
