import type { StoryDraft } from '../domain/story.js';
import type { RenderOptions } from './render-options.js';

// STUB (issue 3 replaces it, keeping the signature).
/** Cleans a story on intake and lists what it changed, one human-readable line each. Pure. */
export function cleanStory(draft: StoryDraft, _options: RenderOptions): { draft: StoryDraft; changes: string[] } {
  return { draft: { ...draft, title: draft.title.trim(), body: draft.body.trim() }, changes: [] };
}
