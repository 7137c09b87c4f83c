import type { PublishRefusal } from '../src/errors/publish-error.js';

// What an editor can do about a refusal that no retry fixes: the story itself has to change.
const ADVICE: Partial<Readonly<Record<PublishRefusal, string>>> = {
  'cashtag-limit':
    'X takes at most one $cashtag a post: /edit the story so this tweet has one (the preview’s pre-flight shows it), then Retry',
  'too-many-media': 'X takes at most 4 images a post: send it with fewer, then Retry',
};

/** `message`, then what an editor can do about `refusal` when an edit of the story fixes it. */
export function withAdvice(message: string, refusal: PublishRefusal | undefined): string {
  const advice = refusal === undefined ? undefined : ADVICE[refusal];
  return advice ? `${message.replace(/\.$/, '')}. ${advice}` : message;
}
