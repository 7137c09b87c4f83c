import type { CurrentDrafts } from '../ports/current-drafts.js';
import type { BotDeps } from './bot-deps.js';
import { leadingStoryRef } from './story-ref.js';

/** The story a command acts on, and the rest of its payload. */
export interface StoryTarget {
  readonly id: string;
  /** The payload without the id (all of it when the id was left out). */
  readonly rest: string;
  /** True when the id was left out and the chat's current draft was taken. */
  readonly implicit: boolean;
  /** The story's title, when the draft was taken (the answer names it). */
  readonly title?: string;
}

/**
 * When a command without an id takes the chat's current draft: `empty` for commands that take only an id
 * (`/now`, `/status`: anything typed was meant as an id), or a test of the payload for those that take
 * more (`/schedule tomorrow 9` reads as a time).
 */
export type WithoutId = 'empty' | ((payload: string) => boolean);

/**
 * Finds the story a command acts on: the id its payload starts with when that names a story, else the
 * chat's current draft (the story last previewed there). Says why not and resolves to undefined otherwise.
 * With a test (`withoutId`), the draft is taken when the whole payload passes it, or when its first word
 * is no id at all (the command then says what it could not read); a first word that reads as an id but
 * names no story, in a payload that does not pass, is a mistyped id and is refused, never applied to the
 * draft (`/schedule k3m9x2qb 14:30`). `tomorrow` reads as an id (`t0m0rr0w`): `/schedule tomorrow 9`
 * passes as a whole, so it is the draft's.
 */
export async function storyTarget(
  deps: BotDeps,
  chatId: number,
  payload: string,
  withoutId: WithoutId,
): Promise<StoryTarget | undefined> {
  const { ref, rest } = leadingStoryRef(payload);
  let unknown: string | undefined;
  if (ref.ok) {
    const view = await deps.desk.view(ref.id);
    if (view.ok) return { id: ref.id, rest, implicit: false };
    unknown = view.error;
  }
  const whole = payload.trim();
  const draftId = await currentDraft(deps, chatId);
  if (draftId !== undefined) {
    const takesDraft = withoutId === 'empty' ? whole === '' : unknown === undefined || withoutId(whole);
    if (takesDraft) {
      const draft = await deps.desk.view(draftId);
      if (draft.ok) return { id: draftId, rest: whole, implicit: true, title: draft.value.story.title };
      await deps.outbox.text(
        chatId,
        `The story previewed last here (${draftId}) is gone: give a story id (see /list).`,
      );
      return undefined;
    }
  }
  const why = unknown ?? (ref.ok ? '' : ref.error);
  await deps.outbox.text(chatId, draftId === undefined && whole === '' ? `${why} ${NO_DRAFT}` : why);
  return undefined;
}

const NO_DRAFT = '(without an id, a command acts on the draft previewed last in this chat: none yet)';

/** `k3m9x2qa`, or when the draft was taken `k3m9x2qa "Its title" (previewed last here)`. */
export function targetName(target: StoryTarget): string {
  if (!target.implicit) return target.id;
  const title = target.title ?? '';
  const shown = title.length > 60 ? `${title.slice(0, 59)}…` : title;
  return `${target.id} "${shown}" (previewed last here)`;
}

/** The chat's current draft; a store that cannot answer is logged and counts as none. */
async function currentDraft(deps: BotDeps, chatId: number): Promise<string | undefined> {
  try {
    return await deps.drafts.current(chatId);
  } catch (error) {
    deps.logger.warn({ err: (error as Error).message, chatId }, 'editor bot: current draft not readable');
    return undefined;
  }
}

/** Makes the story the chat's current draft; a failure is logged, never in the preview's way. */
export async function rememberDraft(deps: BotDeps, chatId: number, storyId: string): Promise<void> {
  try {
    await deps.drafts.remember(chatId, storyId);
  } catch (error) {
    deps.logger.warn({ err: (error as Error).message, chatId }, 'editor bot: current draft not saved');
  }
}

/** {@link CurrentDrafts} in this process's memory: for a bot without Redis (tests); lost on restart. */
export class MemoryCurrentDrafts implements CurrentDrafts {
  readonly #byChat = new Map<number, string>();

  async remember(chatId: number, storyId: string): Promise<void> {
    this.#byChat.set(chatId, storyId);
  }

  async current(chatId: number): Promise<string | undefined> {
    return this.#byChat.get(chatId);
  }
}
