import { describe, expect, it } from 'vitest';
import type { Story } from '../../../src/domain/story.js';
import { amendmentFooter, renderDigest } from '../../../src/format/digest.js';
import { TELEGRAM_LIMITS } from '../../../src/format/limits.js';

const digest: Story = { id: 'dgst0001', title: 'Digest', body: '', tags: [], changes: [] };
const story = (n: number): Story => ({
  id: `s${String(n).padStart(7, '0')}`,
  title: `Regulator ${n} publishes its long-awaited stablecoin rulebook after a year of consultation`,
  body: '',
  url: `https://news.example.com/${n}`,
  tags: [],
  changes: [],
});

describe("the digest's footer", () => {
  it('counts corrections and retractions, in the singular and plural, and is absent when there were none', () => {
    expect(amendmentFooter({ corrections: 2, retractions: 1 })).toBe('2 corrections, 1 retraction today');
    expect(amendmentFooter({ corrections: 1, retractions: 0 })).toBe('1 correction today');
    expect(amendmentFooter({ corrections: 0, retractions: 3 })).toBe('3 retractions today');
    expect(amendmentFooter({ corrections: 0, retractions: 0 })).toBeUndefined();
    expect(amendmentFooter(undefined)).toBeUndefined();
  });

  it('ends the channel post, in italics, and stays within the limit however many stories there were', () => {
    const many = Array.from({ length: 200 }, (_x, i) => story(i));
    const rendered = renderDigest(digest, many, {
      dateLabel: 'Sat 28 Nov',
      maxTweets: 6,
      amendments: { corrections: 2, retractions: 1 },
    });
    const post = rendered.telegram[0];
    if (post?.method !== 'sendMessage') throw new Error('a text post');
    expect(post.text.length).toBeLessThanOrEqual(TELEGRAM_LIMITS.messageText);
    expect(post.text).toMatch(/…and \d+ more\n\n2 corrections, 1 retraction today$/);
    const none = renderDigest(digest, [story(1)], {
      dateLabel: 'Sat 28 Nov',
      maxTweets: 6,
      amendments: { corrections: 0, retractions: 0 },
    });
    expect(none.telegram[0]?.method === 'sendMessage' && none.telegram[0].text).not.toContain('today\n');
    expect(none.telegram[0]?.method === 'sendMessage' && none.telegram[0].text).not.toMatch(/correction/);
  });
});
