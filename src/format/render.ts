import type { Story } from '../domain/story.js';
import type { RenderOptions } from './render-options.js';
import type { Rendered } from './types.js';

// STUB (issue 3 replaces it, keeping the signature).
/** Formats a clean story into its Telegram channel calls and X thread. Pure: no I/O, no env, no clock. */
export function render(story: Story, _options: RenderOptions): Rendered {
  const text = `${story.title}\n\n${story.body}`.slice(0, 4000);
  return {
    story,
    telegram: [
      {
        method: 'sendMessage',
        text,
        entities: [{ type: 'bold', offset: 0, length: story.title.length }],
        link_preview_options: { is_disabled: true },
      },
    ],
    x: [{ text: story.title.slice(0, 200) }, { text: story.body.slice(0, 200) }].filter((t) => t.text.length > 0),
  };
}
