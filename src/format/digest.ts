import type { Rendered } from '../domain/rendered.js';
import type { Story } from '../domain/story.js';
import { TELEGRAM_LIMITS, X_LIMITS } from './limits.js';
import { bold, type FormattedText, joinText, plain, textLink } from './telegram-text.js';
import { xWeight } from './x-length.js';

/** Options of {@link renderDigest}. */
export interface DigestOptions {
  /** The day as editors name it, e.g. "Sat 28 Nov". Passed in: formatting never reads a clock. */
  readonly dateLabel: string;
  /** Most tweets in the digest thread, the opener included. */
  readonly maxTweets: number;
  /** Corrections and retractions confirmed in the digest's period; a footer counts them when any. */
  readonly amendments?: { readonly corrections: number; readonly retractions: number };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "2 corrections, 1 retraction today", or `undefined` when there were none. */
export function amendmentFooter(counts: DigestOptions['amendments']): string | undefined {
  if (!counts) return undefined;
  const parts = [
    ...(counts.corrections > 0 ? [plural(counts.corrections, 'correction')] : []),
    ...(counts.retractions > 0 ? [plural(counts.retractions, 'retraction')] : []),
  ];
  return parts.length === 0 ? undefined : `${parts.join(', ')} today`;
}

const ELLIPSIS = '…';

/** Shortens `text` at a word boundary so that `fits(result)` holds; adds an ellipsis when it cut. */
function shortenToFit(text: string, fits: (candidate: string) => boolean): string {
  if (fits(text)) return text;
  const words = text.split(/\s+/);
  while (words.length > 1) {
    words.pop();
    const candidate = `${words.join(' ')}${ELLIPSIS}`;
    if (fits(candidate)) return candidate;
  }
  return '';
}

/**
 * The daily digest of `stories` (already published, oldest first) as one channel post and one thread.
 * `story` in the result is a synthetic story carrying the digest's title and the ids it covers.
 */
export function renderDigest(digest: Story, stories: readonly Story[], options: DigestOptions): Rendered {
  const heading = `Crypto regulation today — ${options.dateLabel}`;
  const footer = amendmentFooter(options.amendments);
  const lines: FormattedText[] = [];
  // The footer's room is kept from the start, so it is never the part that is cut.
  let length = heading.length + 2 + (footer ? footer.length + 2 : 0);
  let omitted = 0;
  for (const s of stories) {
    const line = s.url ? joinText([plain('• '), textLink(s.title, s.url)], '') : plain(`• ${s.title}`);
    // Room for a closing "…and N more" line keeps the post within the limit whatever follows.
    if (length + line.text.length + 1 > TELEGRAM_LIMITS.messageText - 40) {
      omitted++;
      continue;
    }
    lines.push(line);
    length += line.text.length + 1;
  }
  if (omitted > 0) lines.push(plain(`…and ${omitted} more`));
  const post = joinText(
    [
      bold(heading),
      joinText(lines, '\n'),
      ...(footer ? [{ text: footer, entities: [{ type: 'italic', offset: 0, length: footer.length }] }] : []),
    ],
    '\n\n',
  );

  const fits = (t: string) => xWeight(t) <= X_LIMITS.weightedLength;
  const tweets: string[] = [`${heading}: ${stories.length} ${stories.length === 1 ? 'story' : 'stories'} 🧵`];
  for (const s of stories) {
    if (tweets.length >= options.maxTweets) break;
    const suffix = s.url ? `\n${s.url}` : '';
    const title = shortenToFit(s.title, (t) => fits(`${t}${suffix}`));
    const text = `${title}${suffix}`.trim();
    if (text !== '' && !tweets.includes(text)) tweets.push(text);
  }

  return {
    story: digest,
    telegram: [
      {
        method: 'sendMessage',
        text: post.text,
        entities: post.entities.map((e) => ({ ...e })),
        link_preview_options: { is_disabled: true },
      },
    ],
    x: tweets.map((text) => ({ text })),
  };
}
