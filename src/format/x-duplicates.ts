/** A post regwire sent to X lately, as a duplicate check needs it. */
export interface SentXPost {
  readonly text: string;
  /** What it was, for an editor: "tweet 2 of abc12345", "correction c1 of abc12345". */
  readonly what: string;
  /** ISO time it was recorded as sent. */
  readonly at: string;
}

// X does not say how it compares; the same words with other spacing or Unicode composition are treated
// as the same text here, so the check errs towards warning.
const canonical = (text: string): string => text.normalize('NFC').replace(/\s+/gu, ' ').trim();

/**
 * The recent post `text` repeats, if any. X refuses a post whose text is the same as one the account
 * posted recently ("You are not allowed to create a Tweet with duplicate content."), replies included.
 * Pure.
 */
export function duplicateOf(text: string, recent: readonly SentXPost[]): SentXPost | undefined {
  const wanted = canonical(text);
  if (wanted === '') return undefined;
  return recent.find((post) => canonical(post.text) === wanted);
}
