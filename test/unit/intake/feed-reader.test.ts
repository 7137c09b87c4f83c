import { describe, expect, it } from 'vitest';
import type { FeedItem } from '../../../src/intake/feed-items.js';
import { ArticleBudget, itemKey, screenItem } from '../../../src/intake/feed-reader.js';
import { resolveSources, sourcesFileSchema } from '../../../src/intake/sources-schema.js';

const NOW = Date.parse('2026-11-28T12:00:00Z');
const source = (filters: Record<string, unknown> = {}) => {
  const config = resolveSources(
    sourcesFileSchema.parse({ sources: { wire: { url: 'https://wire.example.com/feed', filters } } }),
  );
  const first = config.sources[0];
  if (!first) throw new Error('no source');
  return first;
};
const item = (over: Partial<FeedItem> = {}): FeedItem => ({
  title: 'SEC sues exchange',
  text: 'The SEC sued an exchange.',
  categories: [],
  publishedAt: '2026-11-28T10:00:00Z',
  ...over,
});

describe('feed reader: screening items before anything is fetched', () => {
  it('lets a recent, dated item through', () => {
    expect(screenItem(source(), item(), { nowMs: NOW, firstPoll: true })).toBeUndefined();
  });

  it('skips an item older than the source takes', () => {
    const old = item({ publishedAt: '2026-11-20T10:00:00Z' });
    expect(screenItem(source(), old, { nowMs: NOW, firstPoll: false })).toBe('older than 48 h');
  });

  it('takes an undated item as backlog on the first poll only', () => {
    const { publishedAt: _, ...undated } = item();
    expect(screenItem(source(), undated, { nowMs: NOW, firstPoll: true })).toMatch(/backlog/);
    expect(screenItem(source(), undated, { nowMs: NOW, firstPoll: false })).toBeUndefined();
  });

  it("applies the source's filters", () => {
    expect(screenItem(source({ exclude: ['sues'] }), item(), { nowMs: NOW, firstPoll: false })).toMatch(
      /filtered out/,
    );
  });
});

describe('feed reader: item keys and the article budget', () => {
  it('keys an item by GUID, else canonical URL, else a hash of its text', () => {
    expect(itemKey(item({ guid: 'abc' }))).toBe('g:abc');
    expect(itemKey(item({ url: 'https://wire.example.com/a' }))).toMatch(/^u:/);
    expect(itemKey(item())).toMatch(/^h:[0-9a-f]{40}$/);
  });

  it('allows as many article fetches as the budget holds', () => {
    const budget = new ArticleBudget(2);
    expect([budget.take(), budget.take(), budget.take()]).toEqual([true, true, false]);
  });
});
