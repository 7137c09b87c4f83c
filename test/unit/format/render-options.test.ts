import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultRenderOptions, renderOptionsSchema } from '../../../src/format/render-options.js';

const CONFIG = new URL('../../../config/format.json', import.meta.url);

describe('renderOptionsSchema', () => {
  it('gives every field a default', () => {
    const options = renderOptionsSchema.parse({});
    expect(options).toEqual(defaultRenderOptions);
    expect(options.telegram.maxTextLength).toBe(4096);
    expect(options.telegram.maxCaptionLength).toBe(1024);
    expect(options.x.maxWeightedLength).toBe(280);
    expect(options.x.maxTweets).toBe(6);
    expect(options.x.numbering).toEqual({ position: 'suffix', format: '{i}/{n}' });
    expect(options.hashtags.dictionary.SEC).toContain('SEC');
    expect(options.hygiene.boilerplatePatterns.length).toBeGreaterThan(5);
  });

  it('parses config/format.json, which spells out the same defaults', () => {
    const fromFile = renderOptionsSchema.parse(JSON.parse(readFileSync(CONFIG, 'utf8')));
    expect(fromFile).toEqual(defaultRenderOptions);
  });

  it('fills defaults inside partly given sections', () => {
    const options = renderOptionsSchema.parse({
      x: { numbering: { position: 'off' } },
      telegram: { sourceLink: 'button' },
    });
    expect(options.x.numbering.format).toBe('{i}/{n}');
    expect(options.x.maxTweets).toBe(6);
    expect(options.telegram.linkPreview.enabled).toBe(true);
  });

  it.each([
    [{ telegram: { maxTextLength: 5000 } }],
    [{ telegram: { maxCaptionLength: 2000 } }],
    [{ x: { maxWeightedLength: 25_001 } }],
    [{ x: { format: 'essay' } }],
    [{ x: { linkPlacement: 'middle' } }],
    [{ x: { maxTweets: 0 } }],
    [{ x: { numbering: { format: 'no placeholder' } } }],
    [{ hygiene: { boilerplatePatterns: ['(unclosed'] } }],
    [{ hashtags: { dictionary: { 'not a tag': ['x'] } } }],
    [{ telegram: { image: { mode: 'sometimes' } } }],
  ])('rejects %j', (input) => {
    expect(renderOptionsSchema.safeParse(input).success).toBe(false);
  });
});
