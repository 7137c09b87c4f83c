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
