import { isQuietMinute, type QuietHours } from './destination-schedule.js';
import { wallMinuteOfDay, wallMsAt } from './wall-clock.js';

/** How a Telegram post goes out: without a sound (`disable_notification`), protected (`protect_content`). */
export interface PostFlags {
  readonly silent: boolean;
  readonly protectContent: boolean;
}

/** A story's own choice of {@link PostFlags}; a flag left out follows the destination. */
export type StoryPostFlags = Partial<PostFlags>;

/**
 * The flags of a post sent at `atMs`: the story's own choice wins; otherwise the destination's default,
 * and silent too inside quiet hours that mean "send silently" (`during: 'silent'`). A story set to not
 * silent (`/quiet <id> off`, e.g. breaking news at night) rings even then.
 */
export function postFlagsAt(
  story: StoryPostFlags | undefined,
  defaults: PostFlags,
  quietHours: QuietHours | null,
  timeZone: string,
  atMs: number,
): PostFlags {
  const quiet =
    quietHours?.during === 'silent' && isQuietMinute(quietHours, wallMinuteOfDay(wallMsAt(atMs, timeZone)));
  return {
    silent: story?.silent ?? (defaults.silent || quiet),
    protectContent: story?.protectContent ?? defaults.protectContent,
  };
}
