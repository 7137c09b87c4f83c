/**
 * Social posts embedded in an article arrive, once copied as text, as the post's words, a
 * `pic.twitter.com/…` link and an attribution line: `— Jane Doe (@janedoe) May 30, 2025`. Published as
 * they are, the bare `@handle` notifies that account and brings X's reply rules into play. These turn
 * into a quote with a plain attribution, or go when they only repeat the story.
 */

const MONTH =
  '(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\\.?';
const DATE = `(?:${MONTH}\\s+\\d{1,2},\\s+\\d{4}|\\d{1,2}\\s+${MONTH}\\s+\\d{4})`;
// The attribution an embed leaves at the end of its text: a dash, a display name, the handle, a date.
const ATTRIBUTION = new RegExp(
  `(?:^|\\s)[—–-]{1,2}\\s*([^\\n()@—–]{0,60}?)\\s*\\(@([A-Za-z0-9_]{1,15})\\)\\s*(${DATE})?\\s*$`,
  'u',
);
// Image links an embed leaves behind; never worth publishing.
const PICTURE_LINK = /(?:https?:\/\/)?pic\.(?:twitter|x)\.com\/\S+/giu;
const SHORT_LINK = /https?:\/\/t\.co\/\S+/giu;
const MENTION = /(^|[^\p{L}\p{N}_@])@([A-Za-z0-9_]{1,15})\b/gu;
// Longest post text taken from the paragraph above an attribution that stands alone (X's limit, with links).
const MAX_POST_CHARS = 320;
// A quote that adds fewer words than this to the story is dropped.
const MIN_NEW_WORDS = 3;

/** What happened to one embedded post. */
export interface EmbeddedPostChange {
  readonly author: string;
  readonly action: 'quoted' | 'dropped';
}

/**
 * Rewrites the embedded posts of a body: each becomes `“text” — Name on X, May 30, 2025`, without
 * image links and with its @mentions written as plain names, or is removed when it adds no words to the
 * title and the rest of the body. Stray `pic.twitter.com` links are removed everywhere. `body` has
 * paragraphs separated by blank lines. Pure.
 */
export function rewriteEmbeddedPosts(
  title: string,
  body: string,
): { body: string; changes: EmbeddedPostChange[] } {
  const paragraphs = body.split(/\n[ \t]*\n/);
  const changes: EmbeddedPostChange[] = [];
  const out: (string | undefined)[] = [...paragraphs];
  for (let i = 0; i < paragraphs.length; i++) {
    const paragraph = paragraphs[i]!;
    const match = ATTRIBUTION.exec(paragraph);
    if (!match) continue;
    const [whole, name = '', handle = '', date] = match;
    let text = paragraph.slice(0, paragraph.length - whole.length).trim();
    let from = i;
    const above = out[i - 1];
    if (text === '' && above !== undefined && above.length <= MAX_POST_CHARS) {
      text = above;
      from = i - 1;
    }
    const author = name.trim() || handle;
    const quote = cleanPostText(text);
    const context = [title, ...out.filter((p, k) => p !== undefined && (k < from || k > i))].join(' ');
    const keep = quote !== '' && newWords(quote, context) >= MIN_NEW_WORDS;
    for (let k = from; k <= i; k++) out[k] = undefined;
    if (keep) out[i] = `${quoted(quote)} — ${author} on X${date ? `, ${date}` : ''}`;
    changes.push({ author, action: keep ? 'quoted' : 'dropped' });
  }
  const kept = out.filter((p): p is string => p !== undefined);
  const cleaned = kept.map((p) =>
    p
      .replace(PICTURE_LINK, '')
      .replace(/[ \t]{2,}/g, ' ')
      .trim(),
  );
  const result = cleaned.filter((p) => p !== '').join('\n\n');
  return { body: changes.length === 0 && result === body.trim() ? body : result, changes };
}

/** The words of a post: no image or t.co links, @mentions as plain names, whitespace tidied. */
function cleanPostText(text: string): string {
  return text
    .replace(PICTURE_LINK, '')
    .replace(SHORT_LINK, '')
    .replace(MENTION, '$1$2')
    .replace(/\s+/g, ' ')
    .trim();
}

function quoted(text: string): string {
  return /^[“"«‘].*[”"»’]$/u.test(text) ? text : `“${text}”`;
}

/** How many words of `text` do not appear in `context` (case-insensitive, letters and digits only). */
function newWords(text: string, context: string): number {
  const known = new Set(words(context));
  return words(text).filter((w) => !known.has(w)).length;
}

function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}
