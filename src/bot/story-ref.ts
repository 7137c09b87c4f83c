/** Length of the story ids regwire gives (see `storyIdFor`). */
export const STORY_ID_LENGTH = 8;

const ID_CHARS = /^[0-9abcdefghjkmnpqrstvwxyz]+$/;

/** A story id as typed, read: the normalized id, or one line saying what is wrong. */
export type StoryRef =
  | { readonly ok: true; readonly id: string }
  | { readonly ok: false; readonly error: string };

/**
 * Reads a story id an editor typed. Case does not matter, a leading `#` is dropped, and letters the id
 * alphabet leaves out because they look like digits are read as those digits (`o` → 0, `i`/`l` → 1), so a
 * misread id still finds its story.
 */
export function readStoryRef(typed: string | undefined): StoryRef {
  const raw = (typed ?? '').trim();
  if (raw === '') return { ok: false, error: 'Which story? Give its id, e.g. /status k3m9x2qa' };
  const id = raw.replace(/^#/, '').toLowerCase().replace(/o/g, '0').replace(/[il]/g, '1');
  if (id.length !== STORY_ID_LENGTH || !ID_CHARS.test(id)) {
    const shown = raw.length > 24 ? `${raw.slice(0, 24)}…` : raw;
    return {
      ok: false,
      error: `"${shown}" is not a story id: ids are ${STORY_ID_LENGTH} letters and digits, e.g. k3m9x2qa (see /list)`,
    };
  }
  return { ok: true, id };
}

/** A command's payload split into the story id it may start with and the rest (trimmed). */
export interface LeadingRef {
  /** The first word read as a story id; not ok when the payload is empty or its first word is no id. */
  readonly ref: StoryRef;
  /** The payload after its first word. */
  readonly rest: string;
}

/** Reads the first word of a command's payload as a story id (see {@link readStoryRef}). */
export function leadingStoryRef(payload: string): LeadingRef {
  const trimmed = payload.trim();
  const space = trimmed.search(/\s/);
  const first = space === -1 ? trimmed : trimmed.slice(0, space);
  return { ref: readStoryRef(first), rest: space === -1 ? '' : trimmed.slice(space).trim() };
}
