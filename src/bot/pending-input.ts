/**
 * Text the bot asked an editor for: the story text for a page it could not read, an edit's new text, or the
 * link of a post an editor marks as posted.
 */
export type PendingInput =
  | { readonly kind: 'story-text'; readonly url: string }
  | { readonly kind: 'edit'; readonly storyId: string }
  | {
      readonly kind: 'posted-link';
      readonly storyId: string;
      readonly destination: string;
      /** The alert whose Mark as posted asked for it: it says who acted once the desk agreed. */
      readonly alert?: { readonly chatId: number; readonly messageId: number; readonly text: string };
    };

/**
 * What each editor was last asked to send, until they send it, start something else or `ttlMs` passes.
 * Keyed by user and chat, so a question asked in private is not answered by a message in a group.
 */
export class PendingInputs {
  readonly #entries = new Map<string, { readonly input: PendingInput; readonly expiresAt: number }>();

  constructor(
    private readonly now: () => number,
    private readonly ttlMs = 15 * 60_000,
  ) {}

  set(userId: number, chatId: number, input: PendingInput): void {
    this.#entries.set(`${userId}:${chatId}`, { input, expiresAt: this.now() + this.ttlMs });
    if (this.#entries.size > 1_000) {
      for (const [key, entry] of this.#entries) if (entry.expiresAt <= this.now()) this.#entries.delete(key);
    }
  }

  /** Takes (and forgets) what the user was asked for, if it has not expired. */
  take(userId: number, chatId: number): PendingInput | undefined {
    const key = `${userId}:${chatId}`;
    const entry = this.#entries.get(key);
    this.#entries.delete(key);
    return entry && entry.expiresAt > this.now() ? entry.input : undefined;
  }

  clear(userId: number, chatId: number): void {
    this.#entries.delete(`${userId}:${chatId}`);
  }
}

/** What the editor's client shows while they answer one of the bot's questions. */
export const ANSWER_PLACEHOLDER = 'Title on the first line, the text below';

/** The question asking for an edit's new text. */
export function editQuestion(storyId: string, currentTitle: string): string {
  return `Send the new text for ${storyId}: the title on the first line, the body below it (leave the body out to keep it).\nCurrent title: ${currentTitle}\nOr: /edit ${storyId} title <new title>, /edit ${storyId} body <new body>.`;
}

/** The question asking for a story's text when its page could not be read. */
export function storyTextQuestion(url: string, reason: string): string {
  return `I could not read that page (${reason}). Send me the story text now — title on the first line, the body below — and I will queue it with the link.\nLink: ${url}`;
}

/** The question asking for the link of a post an editor says is posted. */
export function postedLinkQuestion(storyId: string, destination: string): string {
  return `Send the link of the post of ${storyId} on ${destination} as the platform shows it (e.g. https://x.com/<account>/status/<id>), or its id: I record it as posted, and the rest of the thread replies to it.`;
}

const EDIT_QUESTION = /^Send the new text for ([0-9a-z]{8}):/;
const POSTED_LINK_QUESTION = /^Send the link of the post of ([0-9a-z]{8}) on ([a-z][a-z0-9-]{0,31}) /;
const STORY_TEXT_QUESTION = /^I could not read that page\b[\s\S]*\nLink: (\S+)$/;

/**
 * What a question of the bot's asked for, read back from its text: an answer sent as a reply to it is
 * understood even when the bot no longer remembers asking (it restarted, or another process asked).
 */
export function pendingFromQuestion(question: string): PendingInput | undefined {
  const storyId = EDIT_QUESTION.exec(question)?.[1];
  if (storyId) return { kind: 'edit', storyId };
  const posted = POSTED_LINK_QUESTION.exec(question);
  if (posted?.[1] && posted[2]) return { kind: 'posted-link', storyId: posted[1], destination: posted[2] };
  const url = STORY_TEXT_QUESTION.exec(question)?.[1];
  return url ? { kind: 'story-text', url } : undefined;
}
