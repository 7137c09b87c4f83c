import { describe, expect, it } from 'vitest';
import { type ApprovalPolicy, approvalOf, approvalReason } from '../../../src/domain/approval.js';
import type { HistoryEntry } from '../../../src/domain/history.js';
import type { Story } from '../../../src/domain/story.js';

const policy: ApprovalPolicy = { all: false, autoIntake: true, marketMoving: true, patterns: ['ban', 'ETF'] };
const story = (title: string, body = 'Body.'): Story => ({
  id: 'abcd1234',
  title,
  body,
  tags: [],
  changes: [],
});
const ada = { kind: 'editor' as const, id: 1, name: '@ada' };
const bob = { kind: 'editor' as const, id: 2, name: '@bob' };
const entry = (actor: HistoryEntry['actor'], action: string): HistoryEntry => ({
  at: '2026-12-04T10:00:00Z',
  actor,
  action,
});

describe('the two-person rule', () => {
  it('matches market-moving words whole, in any case', () => {
    expect(approvalReason(story('China bans mining'), [entry(ada, 'drafted')], policy)).toBeUndefined();
    expect(approvalReason(story('China to BAN mining'), [entry(ada, 'drafted')], policy)).toBe(
      'market-moving ("ban")',
    );
    expect(approvalReason(story('Banking rules'), [entry(ada, 'drafted')], policy)).toBeUndefined();
    expect(approvalReason(story('Spot etf filings'), [entry(ada, 'drafted')], policy)).toBe(
      'market-moving ("ETF")',
    );
  });

  it('holds what a feed took in, and everything with `all`', () => {
    const feed = { kind: 'system' as const, name: 'feed sec' };
    expect(approvalReason(story('Quiet news'), [entry(feed, 'drafted')], policy)).toBe('taken in by a feed');
    expect(
      approvalReason(story('Quiet news'), [entry(ada, 'drafted')], { ...policy, all: true }),
    ).toBeDefined();
    expect(
      approvalReason(story('ETF'), [entry(ada, 'drafted')], { ...policy, marketMoving: false }),
    ).toBeUndefined();
  });

  it("counts another editor's approval, never the author's, and an edit undoes it", () => {
    expect(approvalOf([entry(ada, 'drafted'), entry(ada, 'approved')])).toBeUndefined();
    expect(
      approvalOf([entry(ada, 'drafted'), entry({ kind: 'cli', name: 'cli' }, 'approved')]),
    ).toBeUndefined();
    expect(approvalOf([entry(ada, 'drafted'), entry(bob, 'approved')])?.actor).toEqual(bob);
    expect(
      approvalOf([entry(ada, 'drafted'), entry(bob, 'approved'), entry(ada, 'edited title')]),
    ).toBeUndefined();
  });
});
