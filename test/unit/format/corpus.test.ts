import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CORPUS_EXPECTED,
  CORPUS_STORIES,
  loadCorpus,
  loadSharedSample,
} from '../../../harness/story-files.js';
import { render } from '../../../src/format/render.js';
import { defaultRenderOptions, renderOptionsSchema } from '../../../src/format/render-options.js';
import { storyFromFile } from '../../../src/format/story-input.js';
import { expectedOutput, PINNED } from '../../corpus/expected-output.js';
import { expectOneCashtagPerPost, expectTelegramWithinLimits, expectValidThread } from './assertions.js';

const corpus = [...loadCorpus(), { name: 'beijing-mining-crackdown', story: loadSharedSample() }];
const VARIANTS = {
  defaults: defaultRenderOptions,
  'button, photo then text, prefix numbering, link first': renderOptionsSchema.parse({
    telegram: {
      sourceLink: 'both',
      image: { mode: 'photo-then-text' },
      linkPreview: { size: 'small', position: 'above' },
    },
    x: { numbering: { position: 'prefix', format: '({i}/{n})' }, linkPlacement: 'first', hashtags: 'last' },
  }),
  'short thread, no numbering, whole body': renderOptionsSchema.parse({
    telegram: { maxLeadParagraphs: 0, image: { overflow: 'photo-then-text' } },
    x: { numbering: { position: 'off' }, maxTweets: 3, hashtags: 'first' },
  }),
};

describe('corpus', () => {
  it('has at least 30 edge-case stories of our own, plus the shared sample', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(31);
  });

  describe.each(Object.entries(VARIANTS))('with %s', (_name, options) => {
    it.each(corpus.map((c) => [c.name, c.story] as const))(
      '%s renders: valid posts, payloads within limits',
      (_n, story) => {
        const rendered = render(story, options);
        expect(rendered.story).toBe(story);
        expectValidThread(rendered.x, options.x.maxTweets);
        expectOneCashtagPerPost(rendered.x);
        expectTelegramWithinLimits(rendered.telegram);
      },
    );
  });

  it.each(PINNED.map((name) => [name]))('%s matches its expected output', (name) => {
    const entry = corpus.find((c) => c.name === name);
    expect(entry, `corpus story ${name}`).toBeDefined();
    const expected = JSON.parse(readFileSync(new URL(`${name}.json`, CORPUS_EXPECTED), 'utf8'));
    expect(expectedOutput(entry!.story)).toEqual(expected);
  });

  it.each(corpus.filter((c) => 'file' in c).map((c) => [(c as { file: string }).file]))(
    '%s renders the same through the real intake',
    (file) => {
      const story = storyFromFile(
        file,
        readFileSync(new URL(file, CORPUS_STORIES), 'utf8'),
        defaultRenderOptions,
      );
      const rendered = render(story, defaultRenderOptions);
      expectValidThread(rendered.x);
      expectTelegramWithinLimits(rendered.telegram);
      const ours = corpus.find((c) => 'file' in c && c.file === file)!.story;
      expect(rendered.x).toEqual(render(ours, defaultRenderOptions).x);
    },
  );

  it('every story is clean after intake: cleaning again changes nothing', async () => {
    const { cleanStory } = await import('../../../src/format/hygiene.js');
    for (const { story } of corpus) expect(cleanStory(story, defaultRenderOptions).changes).toEqual([]);
  });
});
