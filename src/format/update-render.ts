import type { Rendered } from '../domain/rendered.js';
import { InputError } from '../errors/input-error.js';
import { utcClock } from './amendment-text.js';
import { render } from './render.js';
import type { RenderOptions } from './render-options.js';
import { storyFromInput } from './story-input.js';

/**
 * Formats a development of a live story as the formatter formats a story: hygiene on the editor's text,
 * a Telegram post with its entities (the reply under the channel post) and an X thread within 280 weighted
 * characters a post (the continuation of the story's thread). Its headline is `amendments.updateHeadline`
 * at `atMs` ("Update 14:05 UTC"); no hashtags, no link of its own. Pure. Throws `InputError` when the
 * text cannot be a post (empty after cleaning, too long).
 */
export function renderUpdate(storyId: string, text: string, atMs: number, options: RenderOptions): Rendered {
  const title = options.amendments.updateHeadline.replace(/\{time\}/g, utcClock(atMs));
  // A placeholder link keeps the story-level "neither a body nor a url" rule out: an update is its text.
  const { url: _placeholder, ...story } = storyFromInput(
    { title, body: text, url: 'https://update.invalid/' },
    options,
    'update',
  );
  if (story.body.trim() === '') {
    throw new InputError(
      'update: nothing is left of the text once cleaned (outlet boilerplate such as "read more" lines is dropped); rephrase it',
    );
  }
  return render(
    { ...story, id: storyId, tags: [] },
    { ...options, telegram: { ...options.telegram, hashtags: false } },
  );
}
