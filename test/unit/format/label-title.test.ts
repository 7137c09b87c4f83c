import { describe, expect, it } from 'vitest';
import { labelOf, liftLabelledTitle } from '../../../src/format/label-title.js';
import { defaultRenderOptions } from '../../../src/format/render-options.js';
import { parseStoryText, storyFromInput } from '../../../src/format/story-input.js';

describe('a label standing in for the title', () => {
  it.each([
    ['BREAKING:', { label: 'BREAKING', flash: true }],
    ['🚨 Breaking news —', { label: 'Breaking news', flash: true }],
    ['UPDATE', { label: 'UPDATE', flash: true }],
    ['[Just in]', { label: 'Just in', flash: true }],
    ['Highlights:', { label: 'Highlights', flash: false }],
    ['Key takeaways', { label: 'Key takeaways', flash: false }],
    ['TL;DR:', { label: 'TL;DR', flash: false }],
  ])('%s is a label', (line, expected) => {
    expect(labelOf(line)).toEqual(expected);
  });

  it.each([
    'BREAKING: SEC sues exchange',
    'Update on the MiCA rollout',
    'Highlights of the hearing',
    'Summary judgment denied',
  ])('%s is a headline, not a label', (line) => {
    expect(labelOf(line)).toBeUndefined();
  });

  it('keeps a news-flash label as the prefix of the next line, which becomes the headline', () => {
    expect(
      liftLabelledTitle(
        'BREAKING:',
        'Kenya passes its first virtual asset law\n\nThe bill now goes to the president.',
      ),
    ).toEqual({
      title: 'BREAKING: Kenya passes its first virtual asset law',
      body: 'The bill now goes to the president.',
      labels: ['BREAKING:'],
    });
  });

  it('drops a section label and takes the first bullet as the headline', () => {
    const lifted = liftLabelledTitle(
      'Highlights:',
      '- Thailand lets tourists convert crypto to baht\n- The pilot runs for 18 months\n\nThe SEC said…',
    );
    expect(lifted?.title).toBe('Thailand lets tourists convert crypto to baht');
    expect(lifted?.body).toBe('- The pilot runs for 18 months\n\nThe SEC said…');
  });

  it('takes stacked labels off one by one', () => {
    const lifted = liftLabelledTitle(
      'UPDATE:',
      'Breaking:\nBrazil’s central bank caps stablecoin transfers\n\nBody.',
    );
    expect(lifted?.title).toBe('UPDATE · BREAKING: Brazil’s central bank caps stablecoin transfers');
  });

  it('leaves a label with nothing under it, and an ordinary title, alone', () => {
    expect(liftLabelledTitle('BREAKING:', '')).toBeUndefined();
    expect(liftLabelledTitle('Kenya passes law', 'Body.')).toBeUndefined();
  });

  it('works on pasted text through intake, and says what it did', () => {
    const story = storyFromInput(
      parseStoryText(
        'UPDATE:\n\nHong Kong grants two more exchange licences\n\nThe SFC named the firms on Friday.\n',
      ),
      defaultRenderOptions,
    );
    expect(story.title).toBe('UPDATE: Hong Kong grants two more exchange licences');
    expect(story.body).toBe('The SFC named the firms on Friday.');
    expect(story.changes).toContain('Took the headline from the line after the label “UPDATE:”');
  });
});
