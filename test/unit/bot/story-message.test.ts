import { describe, expect, it } from 'vitest';
import { forwardedStoryInput, isWebUrl, readQueueRequest } from '../../../src/bot/story-message.js';

describe('readQueueRequest', () => {
  it('a URL alone is fetched; a URL with text or text alone is a story', () => {
    expect(readQueueRequest('https://example.com/a')).toEqual({
      kind: 'fetch',
      url: 'https://example.com/a',
    });
    expect(readQueueRequest('www.example.com/a')).toEqual({
      kind: 'fetch',
      url: 'https://www.example.com/a',
    });
    expect(readQueueRequest('https://example.com/a Headline\n\nBody')).toEqual({
      kind: 'story',
      input: { title: 'Headline', body: 'Body', url: 'https://example.com/a' },
    });
    expect(readQueueRequest('Headline\n\nBody\n\nhttps://example.com/b')).toEqual({
      kind: 'story',
      input: { title: 'Headline', body: 'Body', url: 'https://example.com/b' },
    });
  });

  it('a headline that starts with a word and a colon is a headline, not an address', () => {
    for (const title of [
      'MiCA: the first twelve licences are out',
      'SEC: spot ether ETFs approved',
      'Breaking: Binance exits Nigeria',
    ]) {
      expect(
        readQueueRequest(`${title}\n\nESMA published the register.\n\nhttps://example.com/r`),
        title,
      ).toEqual({
        kind: 'story',
        input: { title, body: 'ESMA published the register.', url: 'https://example.com/r' },
      });
    }
    expect(readQueueRequest('mailto:desk@example.com').kind).toBe('refused');
  });

  it('refuses malformed addresses, empty and over-long text', () => {
    for (const bad of [
      'htp:/x',
      'http://',
      'http://localhost',
      'ftp://example.com',
      'javascript:alert(1)',
      'https://exa%mple.com',
    ]) {
      expect(readQueueRequest(bad).kind, bad).toBe('refused');
    }
    expect(readQueueRequest('  ')).toMatchObject({
      kind: 'refused',
      error: expect.stringContaining('/queue https://'),
    });
    expect(readQueueRequest('x'.repeat(4097))).toMatchObject({
      kind: 'refused',
      error: expect.stringContaining('4097 characters'),
    });
    expect(isWebUrl(`https://example.com/${'a'.repeat(2100)}`)).toBe(false);
  });

  it("takes a forwarded post's link from its entities and its channel as the source", () => {
    const text = 'Headline\n\nBody with a link';
    expect(
      forwardedStoryInput(
        text,
        [{ type: 'text_link', offset: 20, length: 4, url: 'https://example.com/l' }],
        'Desk',
      ),
    ).toEqual({ title: 'Headline', body: 'Body with a link', url: 'https://example.com/l', source: 'Desk' });
  });
});
