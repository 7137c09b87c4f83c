import type { Story } from '../domain/story.js';
import { InputError } from '../errors/input-error.js';
import { wordDiff } from '../format/word-diff.js';
import type { Desk } from '../ports/desk.js';
import type { AmendmentPreview, AmendmentView } from '../ports/desk-amendments.js';

const CLI_ACTOR = { kind: 'cli', name: 'cli' } as const;

/** The amendment's progress, one line per destination, for stderr. */
function progressLines(view: AmendmentView): string[] {
  return view.progress.map(
    (p) =>
      `${p.destination}: ${p.state}, ${p.done.filter((d) => d !== undefined).length}/${p.done.length} done`,
  );
}

/** Asks the person at the terminal whether to go on; absent when nobody can answer (no TTY). */
export type Confirm = (question: string) => Promise<boolean>;

/** A word diff in plain text: `[-removed-]` and `{+added+}`. */
function plainDiff(before: string, after: string): string {
  const diff = wordDiff(before, after, Number.MAX_SAFE_INTEGER);
  const marks: { at: number; mark: string }[] = [];
  for (const e of diff.entities) {
    if (e.type === 'strikethrough')
      marks.push({ at: e.offset, mark: '[-' }, { at: e.offset + e.length, mark: '-]' });
    if (e.type === 'underline')
      marks.push({ at: e.offset, mark: '{+' }, { at: e.offset + e.length, mark: '+}' });
  }
  marks.sort((a, b) => b.at - a.at);
  let text = diff.text;
  for (const { at, mark } of marks) text = text.slice(0, at) + mark + text.slice(at);
  return text;
}

/** The preview on stderr: each channel post's change, then what X gets. */
function printPreview(preview: AmendmentPreview, err: (line: string) => void): void {
  const { amendment } = preview.view;
  err(`${amendment.kind} ${amendment.id} of ${preview.view.storyId}: ${amendment.text}`);
  for (const change of preview.channel) {
    const post = `${change.destination}: channel post ${change.messageId}${change.sentAt ? ` (sent ${change.sentAt})` : ''}`;
    if (change.action === 'edit')
      err(`${post} is edited in place ([-removed-] {+added+}):\n${plainDiff(change.before, change.after)}`);
    else if (change.action === 'delete')
      err(
        `${post} is deleted (within 48 hours of sending; should Telegram refuse, it becomes this notice):\n${change.after}`,
      );
    else err(`${post} is too old to delete (48 hours): it is edited into this notice:\n${change.after}`);
  }
  for (const op of amendment.operations) {
    for (const step of op.steps) {
      if (step.kind === 'x-reply')
        err(`${op.destination}: a reply under tweet ${step.replyToId}:\n${step.text}`);
      if (step.kind === 'x-delete') err(`${op.destination}: tweet ${step.tweetId} deleted`);
      if (step.kind === 'x-post') err(`${op.destination}: then a notice:\n${step.text}`);
    }
  }
}

/**
 * Proposes the amendment, prints its preview on stderr, and sends it only with `yes` (`--yes`) or when the
 * person at the terminal says so; otherwise it is cancelled and nothing is sent. Resolves to its id.
 */
async function proposeAndConfirm(
  desk: Desk,
  storyId: string,
  request: Parameters<Desk['proposeAmendment']>[1],
  how: { readonly yes: boolean; readonly confirm?: Confirm | undefined },
  err: (line: string) => void,
): Promise<string> {
  const proposed = await desk.proposeAmendment(storyId, request, CLI_ACTOR);
  if (!proposed.ok) throw new InputError(proposed.error);
  printPreview(proposed.value, err);
  const { id, kind } = proposed.value.view.amendment;
  const go = how.yes || (how.confirm ? await how.confirm(`Send ${kind} ${id}? [y/N] `) : false);
  if (!go) {
    await desk.cancelAmendment(storyId, id, CLI_ACTOR);
    throw new InputError(
      how.confirm
        ? `${kind} ${id} not sent (cancelled)`
        : `${kind} ${id} not sent: add --yes to send what is shown above`,
    );
  }
  const sent = await desk.confirmAmendment(storyId, id, CLI_ACTOR);
  if (!sent.ok) throw new InputError(sent.error);
  for (const line of progressLines(sent.value)) err(line);
  return id;
}

/**
 * `regwire correct <id> <story-file> [--note <text>] [--yes]`: the corrected story's channel post replaces
 * the published one (with the "Corrected HH:MM UTC: <note>" line) and "Correction: <note>" goes under the
 * thread. The preview (a word diff) is printed first; sent with `--yes` or a yes at the terminal. Prints
 * the correction's id on stdout.
 */
export async function correctStory(
  desk: Desk,
  storyId: string,
  corrected: Story,
  note: string,
  how: { readonly yes: boolean; readonly confirm?: Confirm | undefined },
  err: (line: string) => void,
): Promise<string> {
  const story = {
    title: corrected.title,
    body: corrected.body,
    ...(corrected.url ? { url: corrected.url } : {}),
    ...(corrected.imageUrl ? { imageUrl: corrected.imageUrl } : {}),
  };
  return proposeAndConfirm(desk, storyId, { kind: 'correction', correction: { note, story } }, how, err);
}

/** `regwire retract <id> --reason <text> [--yes]`: previewed, then sent as {@link correctStory}. Prints its id. */
export async function retractStory(
  desk: Desk,
  storyId: string,
  reason: string,
  how: { readonly yes: boolean; readonly confirm?: Confirm | undefined },
  err: (line: string) => void,
): Promise<string> {
  return proposeAndConfirm(desk, storyId, { kind: 'retraction', reason }, how, err);
}

/**
 * `regwire update <id> <text-file | text…> [--yes]`: a development of a published story, a reply to the
 * channel post and the X thread continued from its last tweet. What goes out is printed on stderr; it is
 * sent with `--yes` or a yes at the terminal, else discarded. Prints the update's id on stdout.
 */
export async function updateStory(
  desk: Desk,
  storyId: string,
  text: string,
  how: { readonly yes: boolean; readonly confirm?: Confirm | undefined },
  err: (line: string) => void,
): Promise<string> {
  const proposed = await desk.proposeUpdate(storyId, text, CLI_ACTOR);
  if (!proposed.ok) throw new InputError(proposed.error);
  const { amendment } = proposed.value;
  for (const op of amendment.operations) {
    for (const step of op.steps) {
      if (step.kind === 'telegram-reply') {
        const shown = step.payload.method === 'sendMessage' ? step.payload.text : step.payload.caption;
        err(`${op.destination} (reply to post ${step.replyToMessageId}):\n${shown}`);
      } else if (step.kind === 'x-reply') {
        err(`${op.destination} (reply to tweet ${step.replyToId}):\n${step.text}`);
      } else if (step.kind === 'x-continue') {
        err(`${op.destination} (continued):\n${step.text}`);
      }
    }
  }
  const go = how.yes || (how.confirm ? await how.confirm(`Send update ${amendment.id}? [y/N] `) : false);
  if (!go) {
    await desk.discardUpdate(storyId, amendment.id, CLI_ACTOR);
    throw new InputError(
      how.confirm
        ? `update ${amendment.id} not sent (discarded)`
        : `update ${amendment.id} not sent: add --yes to send what is shown above`,
    );
  }
  const sent = await desk.sendUpdate(storyId, amendment.id, CLI_ACTOR);
  if (!sent.ok) throw new InputError(sent.error);
  for (const line of progressLines(sent.value)) err(line);
  return amendment.id;
}

/** `regwire live <id>` / `regwire close <id>`: pins or unpins the channel post. Prints its id. */
export async function setLive(
  desk: Desk,
  storyId: string,
  live: boolean,
  err: (line: string) => void,
): Promise<string> {
  const result = live ? await desk.live(storyId, CLI_ACTOR) : await desk.close(storyId, CLI_ACTOR);
  if (!result.ok) throw new InputError(result.error);
  for (const line of progressLines(result.value)) err(line);
  return result.value.amendment.id;
}
