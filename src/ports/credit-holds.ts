/** Why and since when a destination is held for want of credits. */
export interface CreditHold {
  /** The platform's reason, safe to show an editor. */
  readonly reason: string;
  /** `credits-depleted` or `spend-cap`. */
  readonly refusal: string;
  /** ISO time the hold began. */
  readonly since: string;
}

/**
 * Destinations whose platform account cannot pay for calls (out of credits, at the spending limit), as
 * every worker sees them: the first worker refused holds the destination and tells the editors once; the
 * first send that goes through again (the probe), or an editor, ends the hold.
 */
export interface CreditHolds {
  /** Holds `destination`; true when it was not held already (then, and only then, editors are told). */
  hold(destination: string, hold: CreditHold): Promise<boolean>;
  /** Ends the hold; true when there was one. */
  release(destination: string): Promise<boolean>;
  /** The hold on `destination`, if any. */
  current(destination: string): Promise<CreditHold | undefined>;
}
