import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { samePostText } from '../../../jobs/part-sender.js';

// What X does to a tweet's text before it returns it (docs.x.com data dictionary): escapes &, < and >,
// wraps every link and bare domain it links in t.co, and appends the media link to a post with an image.
describe('samePostText: a tweet as X returns it against the text regwire posted', () => {
  it.each([
    ['SEC & CFTC <joint> rule', 'SEC &amp; CFTC &lt;joint&gt; rule'],
    ['Read more: https://news.example.com/a?b=1&c=2', 'Read more: https://t.co/AbCdEfGh12'],
    ['Details at sec.gov today.', 'Details at https://t.co/Zz9Yy8Xx77 today.'],
    ['MiCA licences: the first twelve', 'MiCA licences: the first twelve https://t.co/Pic0000001'],
    ['Café\u0301 regulators', 'Caf\u00e9\u0301 regulators'.normalize('NFC')],
    ['Already escaped &amp; stays', 'Already escaped &amp;amp; stays'],
  ])('%s ≡ %s', (posted, returned) => {
    expect(samePostText(posted, returned)).toBe(true);
  });

  it.each([
    ['Tweet 2 of the thread', 'Tweet 3 of the thread'],
    ['SEC fines exchange', 'SEC fines exchange again'],
    ['A & B', 'A &amp;amp; B'],
  ])('%s ≢ %s', (posted, returned) => {
    expect(samePostText(posted, returned)).toBe(false);
  });

  it('any text matches itself escaped the way X escapes it', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (text) => {
        const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
        expect(samePostText(text, escaped)).toBe(true);
      }),
    );
  });
});
