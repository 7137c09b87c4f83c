import { describe, expect, it } from 'vitest';
import { readEmbargoFlag, withEmbargo } from '../../../src/cli/embargo-flag.js';
import type { Story } from '../../../src/domain/story.js';
import { InputError } from '../../../src/errors/input-error.js';

const NOW = Date.parse('2026-12-07T12:00:00Z');
const story: Story = {
  id: 'k3m9x2qa',
  title: 'ESMA register',
  body: 'Three issuers.',
  tags: [],
  changes: [],
};

describe('--embargo', () => {
  it('reads an ISO time with its offset', () => {
    expect(readEmbargoFlag('2026-12-08T09:00:00+01:00', NOW)).toBe(Date.parse('2026-12-08T08:00:00Z'));
    expect(readEmbargoFlag('2026-12-08T08:00:00Z', NOW)).toBe(Date.parse('2026-12-08T08:00:00Z'));
  });

  it('refuses anything else with one line naming the flag, and a time already past', () => {
    for (const bad of ['tomorrow', '2026-12-08 09:00', '2026-12-08T09:00:00', '2026-13-08T09:00:00Z', '']) {
      expect(() => readEmbargoFlag(bad, NOW), bad).toThrow(InputError);
      expect(() => readEmbargoFlag(bad, NOW), bad).toThrow(
        /^--embargo ".*" is not an ISO time with its offset; e\.g\./,
      );
    }
    expect(() => readEmbargoFlag('2026-12-01T09:00:00+01:00', NOW)).toThrow(
      '--embargo 2026-12-01T09:00:00+01:00 is in the past; nothing would be held',
    );
  });

  it("joins the story; with the story file's embargo too, the later one holds and the note says which", () => {
    const early = Date.parse('2026-12-08T08:00:00Z');
    const late = Date.parse('2026-12-09T08:00:00Z');
    expect(withEmbargo(story, undefined)).toEqual({ story });
    expect(withEmbargo(story, early).story.embargoUntil).toBe('2026-12-08T08:00:00.000Z');
    const fileEarly = { ...story, embargoUntil: new Date(early).toISOString() };
    const flagLater = withEmbargo(fileEarly, late);
    expect(flagLater.story.embargoUntil).toBe('2026-12-09T08:00:00.000Z');
    expect(flagLater.note).toMatch(/--embargo 2026-12-09T08:00:00.000Z is later than the story file's/);
    const fileLater = withEmbargo({ ...story, embargoUntil: new Date(late).toISOString() }, early);
    expect(fileLater.story.embargoUntil).toBe('2026-12-09T08:00:00.000Z');
    expect(fileLater.note).toMatch(/the story file's 2026-12-09T08:00:00.000Z is later than --embargo/);
    expect(withEmbargo(fileEarly, early)).toEqual({ story: fileEarly });
  });
});
