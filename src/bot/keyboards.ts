import type { InlineKeyboardMarkup } from '../domain/rendered.js';
import { encodeCallback } from './callback-data.js';

const button = (text: string, data: Parameters<typeof encodeCallback>[0]) => ({
  text,
  callback_data: encodeCallback(data),
});

/** Under a preview: Next slot · Post now · Breaking / Schedule… · Edit · Discard. */
export function previewKeyboard(storyId: string): InlineKeyboardMarkup {
  return {
    inline_keyboard: [
      [
        button('Next slot', { kind: 'preview', action: 'next-slot', storyId }),
        button('Post now', { kind: 'preview', action: 'now', storyId }),
        button('Breaking', { kind: 'preview', action: 'breaking', storyId }),
      ],
      [
        button('Schedule…', { kind: 'preview', action: 'schedule', storyId }),
        button('Edit', { kind: 'preview', action: 'edit', storyId }),
        button('Discard', { kind: 'preview', action: 'discard', storyId }),
      ],
    ],
  };
}

/**
 * Under an alert: Retry · Skip · Mark as posted, and New thread when `newThread` (an X thread that stopped
 * after its first tweet: the rest can go out as a thread of its own).
 */
export function alertKeyboard(
  storyId: string,
  destination: string,
  options: { readonly newThread?: boolean } = {},
): InlineKeyboardMarkup {
  const row = [
    button('Retry', { kind: 'alert', action: 'retry', storyId, destination }),
    button('Skip', { kind: 'alert', action: 'skip', storyId, destination }),
    button('Mark as posted', { kind: 'alert', action: 'posted', storyId, destination }),
  ];
  if (options.newThread)
    row.push(button('New thread', { kind: 'alert', action: 'thread', storyId, destination }));
  return { inline_keyboard: [row] };
}

/** `/list` paging; undefined when there is only one page. */
export function pageKeyboard(
  offset: number,
  pageSize: number,
  hasMore: boolean,
): InlineKeyboardMarkup | undefined {
  const row = [];
  if (offset > 0) row.push(button('‹ Earlier', { kind: 'list', offset: Math.max(0, offset - pageSize) }));
  if (hasMore) row.push(button('Later ›', { kind: 'list', offset: offset + pageSize }));
  return row.length > 0 ? { inline_keyboard: [row] } : undefined;
}

/** Under a digest preview: send it. */
export function digestKeyboard(): InlineKeyboardMarkup {
  return { inline_keyboard: [[button('Send digest now', { kind: 'digest-send' })]] };
}
