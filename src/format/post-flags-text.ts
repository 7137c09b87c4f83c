/** A story's own choice for its Telegram posts, as stored; a flag left out follows the destination. */
export interface PostFlagChoice {
  readonly silent?: boolean;
  readonly protectContent?: boolean;
}

/**
 * What a story's Telegram posts do, in words, e.g. "sent silently (no sound); forwarding as the channel
 * sets it": the bot's answer to `/quiet` and `/protect`, and `regwire queue` and `regwire status`.
 */
export function postFlagsLine(flags: PostFlagChoice): string {
  const silent =
    flags.silent === undefined
      ? 'notification as the channel sets it'
      : flags.silent
        ? 'sent silently (no sound)'
        : 'sent with a notification, even in quiet hours';
  const protect =
    flags.protectContent === undefined
      ? 'forwarding as the channel sets it'
      : flags.protectContent
        ? 'protected (cannot be forwarded or saved)'
        : 'can be forwarded and saved';
  return `${silent}; ${protect}`;
}
