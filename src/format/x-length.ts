import twitterText, { type ParseTweetOptions } from 'twitter-text';
import { X_LIMITS } from './limits.js';

// Anything twitter-text might read as a URL (a dot or colon followed by a non-space) or as an emoji:
// those need its own parser. Everything else can be weighed character by character, exactly as it does.
const NEEDS_PARSER = /[.:：][^\s.:]|\p{Extended_Pictographic}|\p{Regional_Indicator}|[\u20E3\uFE0F\u200D]/u;

/**
 * X's weighted length of a text, exactly as twitter-text's `parseTweet` counts it (v3 rules: after NFC, a
 * URL counts 23, an emoji 2, characters of most Latin, Greek, Cyrillic and general punctuation blocks 1,
 * everything else, CJK included, 2). Fast path for plain text; falls back to `parseTweet` when the text
 * could hold a URL or an emoji.
 */
export function xWeight(text: string): number {
  const nfc = text.normalize('NFC');
  if (NEEDS_PARSER.test(nfc)) return twitterText.parseTweet(nfc).weightedLength;
  let weight = 0;
  for (let i = 0; i < nfc.length; i++) {
    const c = nfc.charCodeAt(i);
    if (c <= 4351 || (c >= 8192 && c <= 8205) || (c >= 8208 && c <= 8223) || (c >= 8242 && c <= 8247)) {
      weight += 1;
    } else {
      weight += 2;
      // A surrogate pair is one character for X.
      if (c >= 0xd800 && c <= 0xdbff) {
        const low = nfc.charCodeAt(i + 1);
        if (low >= 0xdc00 && low <= 0xdfff) i++;
      }
    }
  }
  return weight;
}

// twitter-text judges validity against its config's limit, so a longer limit needs the v3 rules with
// that limit (its types omit `configs`, which it exports at run time).
const V3_RULES = (twitterText as unknown as { configs: { defaults: ParseTweetOptions } }).configs.defaults;
const configFor = (maxWeightedLength: number): ParseTweetOptions | undefined =>
  maxWeightedLength === X_LIMITS.weightedLength
    ? undefined
    : { ...V3_RULES, maxWeightedTweetLength: maxWeightedLength };

/** Whether X accepts the text as one post: non-empty, within the weighted limit, no invalid characters. */
export function isValidPost(text: string, maxWeightedLength: number = X_LIMITS.weightedLength): boolean {
  const parsed = twitterText.parseTweet(text, configFor(maxWeightedLength));
  return parsed.valid && parsed.weightedLength <= maxWeightedLength;
}

/**
 * twitter-text's own verdict on a post: its weighted length and validity, against `maxWeightedLength`
 * (280 by default; up to 25,000 for an account with X Premium).
 */
export function parsePost(
  text: string,
  maxWeightedLength: number = X_LIMITS.weightedLength,
): { weightedLength: number; valid: boolean } {
  const { weightedLength, valid } = twitterText.parseTweet(text, configFor(maxWeightedLength));
  return { weightedLength, valid };
}
