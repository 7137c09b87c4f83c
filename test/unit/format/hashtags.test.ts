import { describe, expect, it } from 'vitest';
import { loadSharedSample } from '../../../harness/story-files.js';
import { detectHashtags } from '../../../src/format/hashtags.js';
import { defaultRenderOptions, renderOptionsSchema } from '../../../src/format/render-options.js';

const detect = (title: string, body: string, tags: string[] = [], options = defaultRenderOptions.hashtags) =>
  detectHashtags({ title, body, tags }, options);

describe('detectHashtags', () => {
  it('finds jurisdictions and topics in the shared sample, in dictionary order', () => {
    const tags = detect(loadSharedSample().title, loadSharedSample().body);
    expect(tags).toEqual(expect.arrayContaining(['China', 'Mining', 'Regulation']));
    expect(tags.length).toBeLessThanOrEqual(4);
    expect(tags.indexOf('China')).toBeLessThan(tags.indexOf('Mining'));
  });

  it('matches regulators and frameworks case-sensitively, topics case-insensitively', () => {
    expect(detect('SEC sues exchange', 'The SEC said.')).toContain('SEC');
    expect(detect('Ten sec delay', 'It took a sec, then another sec.')).not.toContain('SEC');
    expect(detect('MiCA arrives', 'MiCA rules apply.')).toContain('MiCA');
    expect(detect('Mica mining', 'Mica is a mineral.')).not.toContain('MiCA');
    expect(detect('STABLECOIN rules', 'stablecoins and Stablecoin issuers.')).toContain('Stablecoins');
  });

  it('matches whole words only, and CJK terms without word edges', () => {
    expect(detect('Secondary markets', 'Security tokens; ban-ana.')).toEqual([]);
    expect(detect('中国禁止挖矿', '中国人民银行发布公告。')).toEqual(
      expect.arrayContaining(['China', 'Mining']),
    );
  });

  it('needs a title mention or repeated body mentions', () => {
    expect(detect('Exchange news', 'A passing mention of Japan.')).toEqual([]);
    expect(detect('Exchange news', 'Japan said. Japan again.')).toEqual(['Japan']);
    expect(detect('Japan acts', 'Nothing else.')).toEqual(['Japan']);
  });

  it('gives a story at most a handful, best scored, shown in dictionary order', () => {
    const body = 'The SEC, CFTC, FCA, ESMA, FATF and ECB met in the EU, the UK and Japan. '.repeat(3);
    const tags = detect('SEC, CFTC and FCA meet', body);
    expect(tags).toHaveLength(4);
    expect(tags).toEqual(expect.arrayContaining(['SEC', 'CFTC', 'FCA']));
  });

  it('puts the story’s own tags first, as valid hashtags', () => {
    expect(detect('SEC acts', 'The SEC said.', ['#Crypto-Policy', 'federal reserve', '2024', 'sec'])).toEqual(
      ['CryptoPolicy', 'federalReserve', 'sec'],
    );
  });

  it('follows the configured dictionary and limits', () => {
    const options = renderOptionsSchema.parse({
      hashtags: { max: 1, dictionary: { Custody: ['custody', 'custodian'] } },
    }).hashtags;
    expect(detect('Custody rules', 'A custodian and custody.', [], options)).toEqual(['Custody']);
    expect(detect('Custody rules', 'x', [], { ...options, max: 0 })).toEqual([]);
  });
});
