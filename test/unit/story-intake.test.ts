import { describe, expect, it } from 'vitest';
import { parsePublicationDate } from '../../src/domain/publication-date.js';
import { canonicalUrl, storyIdFor } from '../../src/domain/story.js';
import { InputError } from '../../src/errors/input-error.js';
import { defaultRenderOptions } from '../../src/format/render-options.js';
import { parseStoryText, storyFromFile, storyFromInput } from '../../src/format/story-input.js';
import { readSharedSample } from '../support/shared-sample.js';

const options = defaultRenderOptions;

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as Error).message;
  }
  throw new Error('expected an InputError');
}

describe('plain-text story files', () => {
  it('takes the first non-empty line as title, the rest as body, a last URL-only line as url', () => {
    const raw = parseStoryText(
      '\n\n  SEC sues exchange  \n\nFirst paragraph.\n\nSecond one.\n\nhttps://example.com/sec?utm_source=x\n\n',
    );
    expect(raw).toEqual({
      title: 'SEC sues exchange',
      body: 'First paragraph.\n\nSecond one.',
      url: 'https://example.com/sec?utm_source=x',
    });
  });

  it('keeps a URL that is inside the text as text', () => {
    const raw = parseStoryText('Title\nRead https://example.com/a for more.');
    expect(raw).toEqual({ title: 'Title', body: 'Read https://example.com/a for more.' });
  });

  it('handles CRLF and a byte-order mark', () => {
    expect(parseStoryText('\uFEFFTitle\r\n\r\nBody\r\n')).toEqual({ title: 'Title', body: 'Body' });
  });

  it('reads the shared sample: its title, its body, and an id', () => {
    const story = storyFromFile('beijing-mining-crackdown.txt', readSharedSample(), options);
    expect(story.title).toBe(
      'Beijing Intensifies Crackdown on Crypto Mining in Updated Energy Conservation Plan',
    );
    expect(story.body).toContain('Beijing has unveiled a revised energy conservation plan');
    expect(story.id).toMatch(/^[0-9a-z]{8}$/);
    expect(story.tags).toEqual([]);
  });
});

describe('JSON story files', () => {
  it('accepts every documented field', () => {
    const story = storyFromFile(
      'story.json',
      JSON.stringify({
        title: 'MiCA licence granted',
        body: 'The regulator approved it.',
        url: 'https://example.eu/mica',
        source: 'Example EU',
        publishedAt: '2026-11-28T10:00:00+01:00',
        imageUrl: 'https://example.eu/img.jpg',
        tags: ['MiCA'],
      }),
      options,
    );
    expect(story).toMatchObject({
      title: 'MiCA licence granted',
      url: 'https://example.eu/mica',
      source: 'Example EU',
      publishedAt: '2026-11-28T09:00:00.000Z',
      imageUrl: 'https://example.eu/img.jpg',
      tags: ['MiCA'],
    });
  });

  it.each([
    ['{ not json', /story\.json: not valid JSON/],
    ['[]', /story\.json: /],
    [JSON.stringify({ body: 'no title' }), /story\.json: title /],
    [JSON.stringify({ title: '   ', body: 'x' }), /title is empty/],
    [
      JSON.stringify({ title: 'T', body: 'b', url: 'javascript:alert(1)' }),
      /url must be an absolute http\(s\) URL/,
    ],
    [
      JSON.stringify({ title: 'T', body: 'b', url: 'https://localhost' }),
      /url must be an absolute http\(s\) URL/,
    ],
    [JSON.stringify({ title: 'T', body: 'b', publishedAt: 'yesterday' }), /publishedAt/],
    [JSON.stringify({ title: 'T', body: 'b', tags: 'MiCA' }), /tags/],
    [JSON.stringify({ title: 'T', body: 'b', colour: 'red' }), /unknown field\(s\) colour/],
    [JSON.stringify({ title: 'x'.repeat(401), body: 'b' }), /title is longer than 400/],
    [JSON.stringify({ title: 'T', body: 'x'.repeat(100_001) }), /body is longer than 100000/],
    [JSON.stringify({ title: 'T' }), /neither a body nor a url/],
  ])('refuses %s with a clear reason', (content, expected) => {
    expect(refusal(() => storyFromFile('story.json', content, options))).toMatch(expected);
  });

  it('refuses binary content', () => {
    expect(refusal(() => storyFromFile('photo.txt', 'PNG\u0000\u0001', options))).toMatch(/binary/);
  });

  it('accepts a story with only a url', () => {
    expect(storyFromInput({ title: 'T', url: 'https://example.com/a' }, options).body).toBe('');
  });
});

describe('publication dates', () => {
  it.each([
    ['2022-03-15', '2022-03-15T00:00:00.000Z'],
    ['2022/3/5', '2022-03-05T00:00:00.000Z'],
    ['2022-03-15T10:00', '2022-03-15T10:00:00.000Z'],
    ['2022-03-15T10:00:30', '2022-03-15T10:00:30.000Z'],
    ['2022-03-15 10:00:30.250', '2022-03-15T10:00:30.250Z'],
    ['2022-03-15T10:00:00Z', '2022-03-15T10:00:00.000Z'],
    ['2022-03-15T10:00:00+05:30', '2022-03-15T04:30:00.000Z'],
    ['2022-03-15T10:00:00.000-0400', '2022-03-15T14:00:00.000Z'],
    ['2022-03-15T23:30:00-02', '2022-03-16T01:30:00.000Z'],
    ['Tue, 15 Mar 2022 10:00:00 GMT', '2022-03-15T10:00:00.000Z'],
    ['Tue, 15 Mar 2022 10:00:00 +0100', '2022-03-15T09:00:00.000Z'],
    ['15 Mar 22 10:00 EST', '2022-03-15T15:00:00.000Z'],
    ['Wednesday, 1 June 2022 08:15 PDT', '2022-06-01T15:15:00.000Z'],
    ['15 March 2022', '2022-03-15T00:00:00.000Z'],
    ['March 15, 2022', '2022-03-15T00:00:00.000Z'],
    ['Sept 9, 2024, 4:05 UTC', '2024-09-09T04:05:00.000Z'],
    ['Tue Mar 15 2022 10:00:00 GMT+0200 (Eastern European Standard Time)', '2022-03-15T08:00:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    ['  2022-03-15  ', '2022-03-15T00:00:00.000Z'],
  ])('reads %s', (text, iso) => {
    expect(parsePublicationDate(text)?.toISOString()).toBe(iso);
  });

  it.each([
    'yesterday',
    '',
    '1',
    '2022',
    '15/03/2022',
    '03/15/2022',
    '2023-02-29',
    '2022-13-01',
    '2022-03-15T25:00',
    '2022-03-15T10:61',
    'Tue, 15 Mar 2022 10:00:00 CET',
    '2022-03-15T10:00:00+25:00',
    'Mar 2022',
    'soon after 2022-03-15',
  ])('refuses %j', (text) => {
    expect(parsePublicationDate(text)).toBeUndefined();
  });

  it.each([
    ['2022-03-15', '2022-03-15T00:00:00.000Z'],
    ['2022-03-15T10:00:00', '2022-03-15T10:00:00.000Z'],
    ['Tue, 15 Mar 2022 10:00:00 GMT', '2022-03-15T10:00:00.000Z'],
  ])('a story file may give publishedAt as %s', (publishedAt, iso) => {
    expect(storyFromInput({ title: 'T', body: 'b', publishedAt }, options).publishedAt).toBe(iso);
  });

  it('refuses a story whose publishedAt is not a date, saying what was expected', () => {
    const message = refusal(() =>
      storyFromInput({ title: 'T', body: 'b', publishedAt: 'last Tuesday' }, options),
    );
    expect(message).toBe(
      'story: publishedAt is not a date: expected a date such as 2022-03-15, ISO 8601 such as 2022-03-15T10:00:00+01:00, or RFC 2822 such as Tue, 15 Mar 2022 10:00:00 GMT',
    );
  });
});

describe('story ids', () => {
  it('are the same for the same article whatever tracking the URL carries', () => {
    const a = storyIdFor({
      title: 'A',
      body: '',
      url: 'https://www.Example.com/news/1/?utm_source=tw&b=2&a=1#top',
    });
    const b = storyIdFor({ title: 'B', body: 'other', url: 'https://example.com/news/1?a=1&b=2' });
    expect(a).toBe(b);
  });

  it('differ for different stories without a URL', () => {
    expect(storyIdFor({ title: 'A', body: 'x' })).not.toBe(storyIdFor({ title: 'A', body: 'y' }));
  });

  it('canonicalises amp variants and keeps meaningful parameters', () => {
    expect(canonicalUrl('http://amp.example.com/story/amp/?id=7&fbclid=abc')).toBe(
      'https://example.com/story?id=7',
    );
    expect(canonicalUrl('not a url')).toBe('not a url');
  });
});
