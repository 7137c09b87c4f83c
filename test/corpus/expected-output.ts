import type { Story } from '../../src/domain/story.js';
import { render } from '../../src/format/render.js';
import { defaultRenderOptions } from '../../src/format/render-options.js';

/** Corpus stories whose full output is pinned in `test/corpus/expected/<name>.json`. */
export const PINNED = [
  'beijing-mining-crackdown',
  'boilerplate-variants',
  'cashtags',
  'chinese',
  'embedded-post',
  'emoji',
  'fits-one-post',
  'greek-genuine',
  'image-long',
  'just-over-cap',
  'label-breaking',
  'label-highlights',
  'list',
  'long-sentence',
  'markup-chars',
  'mojibake-cp1250',
  'mojibake-cp1251',
  'mojibake-cp1252',
  'mojibake-cp437',
  'mojibake-double',
  'mojibake-thai-dot',
  'numbers-money',
  'published-rfc2822',
  'related-headlines',
  'three-paragraphs',
  'title-repeated-twice',
  'very-long',
  'whitespace-mess',
] as const;

/** What a pinned file holds: hygiene's report and both platforms' output, with default options. */
export function expectedOutput(story: Story) {
  const { telegram, x } = render(story, defaultRenderOptions);
  return { title: story.title, changes: story.changes, telegram, x };
}
