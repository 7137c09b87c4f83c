import type { InlineKeyboardMarkup } from '../domain/rendered.js';
import type { XLinkPolicy } from '../domain/x-link-policy.js';
import { encodeCallback } from './callback-data.js';

const button = (text: string, data: Parameters<typeof encodeCallback>[0]) => ({
  text,
  callback_data: encodeCallback(data),
});

/**
 * Under a preview: Next slot · Post now · Breaking / Schedule… · Edit · Discard, and with `links` (the story
 * has a thread on X) a row of link policies, the current one ticked: "✓ Link last · first · reply · none".
 */
export function previewKeyboard(
  storyId: string,
  links?: readonly { readonly link: XLinkPolicy; readonly current: boolean }[],
): InlineKeyboardMarkup {
  const linkRow = (links ?? []).map(({ link, current }) =>
    button(current ? `✓ Link ${link}` : `Link ${link}`, { kind: 'link', link, storyId }),
  );
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
      ...(linkRow.length > 0 ? [linkRow] : []),
    ],
  };
}

/**
 * Under an alert: Retry · Skip · Mark as posted, and New thread when `newThread` (an X thread that stopped
 * after its first tweet: the rest can go out as a thread of its own). Under a budget hold (`budget`):
 * Post anyway · Hold · Post without link.
 */
export function alertKeyboard(
  storyId: string,
  destination: string,
  options: { readonly newThread?: boolean; readonly budget?: boolean } = {},
): InlineKeyboardMarkup {
  if (options.budget) {
    return {
      inline_keyboard: [
        [
          button('Post anyway', { kind: 'alert', action: 'anyway', storyId, destination }),
          button('Hold', { kind: 'alert', action: 'hold', storyId, destination }),
          button('Post without link', { kind: 'alert', action: 'nolink', storyId, destination }),
        ],
      ],
    };
  }
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
