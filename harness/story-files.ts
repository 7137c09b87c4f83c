import { readdirSync, readFileSync } from 'node:fs';
import type { Story, StoryDraft } from '../src/domain/story.js';
import { cleanStory } from '../src/format/hygiene.js';
import { defaultRenderOptions, type RenderOptions } from '../src/format/render-options.js';

/** The corpus of edge-case stories, and expected outputs for the tricky ones. */
export const CORPUS_STORIES = new URL('../test/corpus/stories/', import.meta.url);
export const CORPUS_EXPECTED = new URL('../test/corpus/expected/', import.meta.url);
/** The shared real-world sample, beside the repository (never copied into it). */
export const SHARED_SAMPLE = new URL('../../shared/samples/beijing-mining-crackdown.txt', import.meta.url);

/**
 * A minimal story-file reader for the formatter's tests (intake owns the real one): `.txt` is a title line,
 * then the body, with a last line that is only a URL taken as the url; `.json` holds the draft's fields.
 */
export function parseStoryFile(content: string, fileName: string): StoryDraft {
  if (fileName.endsWith('.json')) {
    const data = JSON.parse(content) as Partial<StoryDraft> & { title: string; body?: string };
    return { ...data, title: data.title, body: data.body ?? '', tags: data.tags ?? [] };
  }
  const lines = content.replace(/^\uFEFF/, '').split(/\r\n?|\n/);
  const titleAt = lines.findIndex((l) => l.trim() !== '');
  const title = lines[titleAt] ?? '';
  const rest = lines.slice(titleAt + 1);
  while (rest.length > 0 && rest.at(-1)!.trim() === '') rest.pop();
  const last = rest.at(-1)?.trim();
  let url: string | undefined;
  if (last !== undefined && /^https?:\/\/\S+$/.test(last)) {
    url = last;
    rest.pop();
  }
  return { title, body: rest.join('\n'), tags: [], ...(url && { url }) };
}

/** A story as intake would produce it: cleaned, with the changes recorded. */
export function storyFrom(
  draft: StoryDraft,
  options: RenderOptions = defaultRenderOptions,
  id = 'test0001',
): Story {
  const cleaned = cleanStory(draft, options);
  return { ...cleaned.draft, id, changes: cleaned.changes };
}

/** Every corpus story file, by name (without extension), raw draft and cleaned story. */
export function loadCorpus(): { name: string; file: string; draft: StoryDraft; story: Story }[] {
  return readdirSync(CORPUS_STORIES)
    .filter((f) => f.endsWith('.txt') || f.endsWith('.json'))
    .sort()
    .map((file) => {
      const draft = parseStoryFile(readFileSync(new URL(file, CORPUS_STORIES), 'utf8'), file);
      return { name: file.replace(/\.(txt|json)$/, ''), file, draft, story: storyFrom(draft) };
    });
}

/** The shared Beijing sample as a story. */
export function loadSharedSample(): Story {
  return storyFrom(parseStoryFile(readFileSync(SHARED_SAMPLE, 'utf8'), 'beijing-mining-crackdown.txt'));
}
