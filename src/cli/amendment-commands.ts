import type { Story } from '../domain/story.js';
import { InputError } from '../errors/input-error.js';
import type { Desk } from '../ports/desk.js';
import type { AmendmentView } from '../ports/desk-amendments.js';

const CLI_ACTOR = { kind: 'cli', name: 'cli' } as const;

/** The amendment's progress, one line per destination, for stderr. */
function progressLines(view: AmendmentView): string[] {
  return view.progress.map(
    (p) =>
      `${p.destination}: ${p.state}, ${p.done.filter((d) => d !== undefined).length}/${p.done.length} done`,
  );
}

/**
 * `regwire correct <id> <story-file> [--note <text>]`: the corrected story's channel post replaces the
 * published one (with the "Corrected HH:MM UTC: <note>" line) and "Correction: <note>" goes under the
 * thread. Prints the correction's id on stdout.
 */
export async function correctStory(
  desk: Desk,
  storyId: string,
  corrected: Story,
  note: string,
  err: (line: string) => void,
): Promise<string> {
  const story = {
    title: corrected.title,
    body: corrected.body,
    ...(corrected.url ? { url: corrected.url } : {}),
    ...(corrected.imageUrl ? { imageUrl: corrected.imageUrl } : {}),
  };
  const result = await desk.correct(storyId, { note, story }, CLI_ACTOR);
  if (!result.ok) throw new InputError(result.error);
  for (const line of progressLines(result.value)) err(line);
  return result.value.amendment.id;
}

/** `regwire retract <id> --reason <text>`. Prints the retraction's id on stdout. */
export async function retractStory(
  desk: Desk,
  storyId: string,
  reason: string,
  err: (line: string) => void,
): Promise<string> {
  const result = await desk.retract(storyId, reason, CLI_ACTOR);
  if (!result.ok) throw new InputError(result.error);
  for (const line of progressLines(result.value)) err(line);
  return result.value.amendment.id;
}

/**
 * `regwire update <id> <text-file | text…>`: a development of a published story, sent at once (the CLI
 * has no button to confirm with): a reply to the channel post and the X thread continued from its last
 * tweet. What goes out is printed on stderr first; prints the update's id on stdout.
 */
export async function updateStory(
  desk: Desk,
  storyId: string,
  text: string,
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
