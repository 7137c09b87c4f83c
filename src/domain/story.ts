import { createHash } from 'node:crypto';
import type { XLinkPolicy } from './x-link-policy.js';

/**
 * A story as regwire carries it, after intake validation and hygiene.
 * Times are ISO-8601 strings so the value survives a JSON round trip through Redis unchanged.
 */
export interface Story {
  /** Stable, short, typeable id (see {@link storyIdFor}). */
  readonly id: string;
  readonly title: string;
  /** Paragraphs separated by one blank line ("\n\n"). */
  readonly body: string;
  readonly url?: string;
  /** Name of the outlet or feed the story came from. */
  readonly source?: string;
  /** ISO-8601 publication time of the original article. */
  readonly publishedAt?: string;
  readonly imageUrl?: string;
  /**
   * ISO-8601 time before which nothing of the story may be published anywhere (an embargo), as the
   * story file or the editor set it.
   */
  readonly embargoUntil?: string;
  readonly tags: readonly string[];
  /** What story hygiene changed on intake, one human-readable line each (empty when nothing). */
  readonly changes: readonly string[];
  /** Where the link goes on X for this story, when an editor chose (else `format.x.linkPlacement`). */
  readonly xLink?: XLinkPolicy;
}

/** The fields a story has before it is given an id. */
export type StoryDraft = Omit<Story, 'id' | 'changes' | 'embargoUntil' | 'xLink'>;

// Crockford-like alphabet without i, l, o, u: ids are read aloud and typed by editors.
const ID_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const ID_LENGTH = 8;

/** Whether `text` has the shape of a story id (8 of the id alphabet's letters and digits). */
export function isStoryId(text: string): boolean {
  return STORY_ID_PATTERN.test(text);
}

/** The shape of a story id, for schemas. */
export const STORY_ID_PATTERN = /^[0-9a-z]{8}$/;

/**
 * Derives the story id from its content: the canonical URL when there is one (the same article queued
 * twice gets the same id), otherwise the title and body. 8 characters of a 32-letter alphabet
 * (40 bits): typeable, and collision-free for any realistic newsroom volume.
 */
export function storyIdFor(draft: Pick<StoryDraft, 'url' | 'title' | 'body'>): string {
  const basis = draft.url ? `url:${canonicalUrl(draft.url)}` : `text:${draft.title}\n${draft.body}`;
  const digest = createHash('sha256').update(basis).digest();
  let id = '';
  for (let i = 0; i < ID_LENGTH; i++) {
    id += ID_ALPHABET[(digest[i] ?? 0) % 32];
  }
  return id;
}

const TRACKING_PARAMS = /^(utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid|ref|ref_src|igshid|amp)$/i;

/**
 * The URL with what does not change the article removed: fragment, tracking parameters,
 * default port, trailing slash, `www.` and `/amp` variants; host lower-cased, parameters sorted.
 * Returns the input unchanged when it is not a valid absolute URL.
 */
export function canonicalUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return raw.trim();
  }
  u.hash = '';
  u.hostname = u.hostname.toLowerCase().replace(/^www\.|^amp\./, '');
  u.protocol = 'https:';
  u.port = '';
  const kept = [...u.searchParams.entries()].filter(([k]) => !TRACKING_PARAMS.test(k));
  kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  u.search = new URLSearchParams(kept).toString();
  u.pathname = u.pathname.replace(/\/amp\/?$/, '/').replace(/\/+$/, '') || '/';
  return u.toString().replace(/\/$/, '');
}
