import type { Rendered } from '../domain/rendered.js';
import type { Story } from '../domain/story.js';
import { detectHashtags } from './hashtags.js';
import type { RenderOptions } from './render-options.js';
import { splitParagraphs } from './sentences.js';
import { buildTelegramPayloads } from './telegram-post.js';
import { buildXThread } from './x-thread.js';

// Characters no platform accepts in a post (X rejects these outright); hygiene removes them on intake,
// this guards stories that did not come through it.
const REJECTED_CHARS = /[\uFFFE\uFEFF\uFFFF\u0000-\u0008\u000B\u000C\u000E-\u001F]/g;

/**
 * Formats a clean story into its Telegram channel calls and its X thread. Pure: no I/O, no env, no clock.
 * `story` is returned as given (its `changes` are hygiene's report).
 */
export function render(story: Story, options: RenderOptions): Rendered {
  const title = tidy(story.title).replace(/\s+/g, ' ').trim();
  const paragraphs = splitParagraphs(tidy(story.body).replace(/\r\n?/g, '\n'));
  const hashtags = detectHashtags(
    { title, body: paragraphs.join('\n\n'), tags: story.tags },
    options.hashtags,
  );
  const url = story.url?.trim() || undefined;
  const imageUrl = story.imageUrl?.trim() || undefined;
  const telegram = buildTelegramPayloads(
    { title, paragraphs, hashtags, ...(url && { url }), ...(imageUrl && { imageUrl }) },
    options.telegram,
  );
  // An editor's choice of link policy for this story wins over the configured one.
  const xOptions = story.xLink ? { ...options.x, linkPlacement: story.xLink } : options.x;
  const x = buildXThread({ title, paragraphs, hashtags, ...(url && { url }) }, xOptions);
  return { story, telegram, x };
}

function tidy(text: string): string {
  return text.normalize('NFC').replace(REJECTED_CHARS, '');
}
