import { describe, expect, it } from 'vitest';
import {
  channelPreview,
  linkChoiceLines,
  preflightText,
  previewMessages,
  threadLines,
} from '../../../src/bot/preview-text.js';
import { splitMessage } from '../../../src/bot/split-message.js';
import { statusMessages, upcomingText } from '../../../src/bot/status-text.js';
import { xPricingSchema } from '../../../src/config/x-billing-schema.js';
import { defaultRenderOptions, render } from '../../../src/format/index.js';
import { storyFromInput } from '../../../src/format/story-input.js';
import type { StoryView } from '../../../src/ports/desk.js';

function draftView(body: string): StoryView {
  const story = storyFromInput(
    { title: 'SEC sues exchange', body, url: 'https://example.com/a' },
    defaultRenderOptions,
  );
  const rendered = render(story, defaultRenderOptions);
  return {
    story,
    rendered,
    destinations: [
      { destination: 'telegram-main', platform: 'telegram', state: 'draft', parts: [], links: [] },
      { destination: 'x-main', platform: 'x', state: 'draft', parts: [], links: [] },
    ],
    history: [],
    wouldPublish: [
      { destination: 'telegram-main', atMs: Date.UTC(2026, 10, 28, 16, 30), reason: 'next free slot' },
      { destination: 'x-main', atMs: Date.UTC(2026, 10, 28, 17, 0), reason: 'next free slot' },
    ],
  };
}

describe('preview text', () => {
  it('prices each link policy for the story, the current one ticked', () => {
    const pricing = xPricingSchema.parse({});
    const thread = (...texts: string[]) => texts.map((text) => ({ text }));
    expect(
      linkChoiceLines(
        [
          { link: 'last', current: true, x: thread('SEC sues 1/2', 'More https://e.com/a 2/2') },
          { link: 'none', current: false, x: thread('SEC sues 1/2', 'More 2/2') },
        ],
        pricing,
      ),
    ).toEqual(['✓ last: 2 tweets · $0.215 · link in tweet 2', '• none: 2 tweets · $0.030 · no link']);
    expect(linkChoiceLines([{ link: 'first', current: false, x: thread('a') }])).toEqual([
      '• first: 1 tweet',
    ]);
  });

  it('says what X would refuse, or that there is nothing', () => {
    expect(preflightText([])).toBe('Pre-flight on X: nothing X would refuse.');
    expect(preflightText([{ kind: 'cashtags', post: 2, message: 'tweet 2 has 2 cashtags' }])).toBe(
      '⚠️ Pre-flight on X: one problem to fix before it goes out (/edit):\n• tweet 2 has 2 cashtags',
    );
  });

  it('numbers each tweet with its weighted length', () => {
    expect(threadLines([{ text: 'one' }, { text: 'two https://example.com/x' }])).toEqual([
      '1/2 · 3/280\none',
      '2/2 · 27/280\ntwo https://example.com/x',
    ]);
  });

  it('shows the thread, when each destination would publish in the zone, and the hygiene report', () => {
    const [text, ...rest] = previewMessages(draftView('The SEC filed suit on Tuesday.'), 'Europe/Berlin');
    expect(rest).toEqual([]);
    expect(text).toContain(
      '• telegram-main [next slot]: Sat 28 Nov 2026, 17:30 (Europe/Berlin) — next free slot',
    );
    expect(text).toContain('• x-main [next slot]: Sat 28 Nov 2026, 18:00 (Europe/Berlin)');
    expect(text).toMatch(/X thread, \d+ tweets?:\n\n1\/\d+ · \d+\/280\n/);
    expect(text).toContain('Cleaned on intake');
  });

  it('with X’s prices, heads the thread with what it costs and which tweets hold the link', () => {
    const view = draftView('The SEC filed suit on Tuesday.');
    const x = [{ text: 'One' }, { text: 'Two' }, { text: 'Full story: https://example.com/a' }];
    const [text] = previewMessages(
      { ...view, rendered: { ...view.rendered, x } },
      'Europe/Berlin',
      xPricingSchema.parse({}),
    );
    expect(text).toContain('X thread, 3 tweets · $0.230 · link in tweet 3:');
  });

  it('splits a long preview into messages of at most 4096 characters', () => {
    const view = draftView('Body.');
    const x = Array.from({ length: 30 }, (_, i) => ({ text: `Tweet ${i} ${'about the rules '.repeat(16)}` }));
    const messages = previewMessages({ ...view, rendered: { ...view.rendered, x } }, 'Europe/Berlin');
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) expect(message.length).toBeLessThanOrEqual(4096);
  });

  it('sends the channel post without its buttons', () => {
    const payload = {
      method: 'sendMessage' as const,
      text: 'x',
      entities: [],
      reply_markup: { inline_keyboard: [[{ text: 'Read', url: 'https://e.com/' }]] },
    };
    expect(channelPreview(payload)).toEqual({ method: 'sendMessage', text: 'x', entities: [] });
  });
});

describe('splitMessage', () => {
  it('cuts at paragraph, line or word boundaries, never inside a surrogate pair', () => {
    expect(splitMessage(`${'a'.repeat(10)}\n\n${'b'.repeat(10)}`, 15)).toEqual([
      'a'.repeat(10),
      'b'.repeat(10),
    ]);
    const emoji = '😀'.repeat(10);
    const parts = splitMessage(emoji, 5);
    expect(parts.join('')).toBe(emoji);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(5);
    expect(splitMessage('   ')).toEqual([]);
  });
});

describe('status and list text', () => {
  it('shows parts, links and history', () => {
    const view: StoryView = {
      ...draftView('Body.'),
      destinations: [
        {
          destination: 'telegram-main',
          platform: 'telegram',
          state: 'published',
          atMs: Date.UTC(2026, 10, 28, 9),
          parts: [{ index: 0, state: 'sent', remoteId: '41', at: '2026-11-28T09:00:00Z' }],
          links: ['https://t.me/c/41'],
        },
        {
          destination: 'x-main',
          platform: 'x',
          state: 'needs-attention',
          parts: [{ index: 0, state: 'unknown', at: '2026-11-28T09:00:00Z', reason: 'timeout' }],
          links: [],
        },
      ],
      history: [
        {
          at: '2026-11-28T08:59:00Z',
          actor: { kind: 'editor', id: 1, name: '@alice' },
          action: 'scheduled (now)',
        },
      ],
    };
    const [text] = statusMessages(view, 'Europe/Berlin');
    expect(text).toContain(
      'telegram-main (telegram): published, Sat 28 Nov 2026, 10:00 (Europe/Berlin)\n  part 1: sent #41\n  https://t.me/c/41',
    );
    expect(text).toContain('x-main (x): NEEDS ATTENTION\n  part 1: unknown — timeout');
    expect(text).toContain('History:\n  Sat 28 Nov 2026, 09:59 (Europe/Berlin): scheduled (now) by @alice');
  });

  it('groups upcoming items per destination', () => {
    const text = upcomingText(
      [{ storyId: 'k3m9x2qa', title: 'A', destination: 'x-main', atMs: Date.UTC(2026, 10, 28, 9) }],
      8,
      'UTC',
    );
    expect(text).toBe('Upcoming (9–9):\n\nx-main:\n• Sat 28 Nov 2026, 09:00 (UTC) — k3m9x2qa "A"');
    expect(upcomingText([], 0, 'UTC')).toBe('Nothing is scheduled.');
  });
});
