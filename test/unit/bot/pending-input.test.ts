import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  editQuestion,
  PendingInputs,
  pendingFromQuestion,
  postedLinkQuestion,
  storyTextQuestion,
} from '../../../src/bot/pending-input.js';

describe('questions the bot asks, read back from their text', () => {
  it('an edit question names its story, whatever the current title says', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-z]{8}$/), fc.string(), (storyId, title) => {
        expect(pendingFromQuestion(editQuestion(storyId, title))).toEqual({ kind: 'edit', storyId });
      }),
    );
  });

  it('a story-text question carries its link, whatever the reason says', () => {
    const urls = [
      'https://www.sec.gov/newsroom/press-releases/2026-118',
      'https://example.com/a?b=1&c=%20d#frag',
      'http://127.0.0.1:8080/article',
    ];
    for (const url of urls) {
      for (const reason of [
        'the site answered 403 Forbidden',
        'odd reason\nLink: https://evil.example/',
        '',
      ]) {
        expect(pendingFromQuestion(storyTextQuestion(url, reason))).toEqual({ kind: 'story-text', url });
      }
    }
  });

  it("reads back Mark as posted's question for a post's link", () => {
    expect(pendingFromQuestion(postedLinkQuestion('abcd1234', 'x-main'))).toEqual({
      kind: 'posted-link',
      storyId: 'abcd1234',
      destination: 'x-main',
    });
  });

  it('any other bot message asks for nothing', () => {
    for (const text of ['Nothing is scheduled.', 'Draft abcd1234 created from your message:', '']) {
      expect(pendingFromQuestion(text)).toBeUndefined();
    }
  });
});

describe('PendingInputs', () => {
  it('hands out what one user was asked in one chat, once, until it expires', () => {
    let clock = 0;
    const pending = new PendingInputs(() => clock, 1_000);
    pending.set(1, 1, { kind: 'edit', storyId: 'abcd1234' });
    expect(pending.take(1, 2)).toBeUndefined();
    expect(pending.take(1, 1)).toEqual({ kind: 'edit', storyId: 'abcd1234' });
    expect(pending.take(1, 1)).toBeUndefined();
    pending.set(1, 1, { kind: 'story-text', url: 'https://example.com/' });
    clock = 1_000;
    expect(pending.take(1, 1)).toBeUndefined();
  });
});
