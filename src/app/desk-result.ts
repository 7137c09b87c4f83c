import type { DeskRefusalCode, DeskResult } from '../ports/desk.js';

/** A use case's result. */
export const ok = <T>(value: T): DeskResult<T> => ({ ok: true, value });

/** A refusal with its stable code and the editor-facing reason. */
export const refuse = <T>(code: DeskRefusalCode, error: string): DeskResult<T> => ({
  ok: false,
  code,
  error,
});

/** A refusal because of the state a story or an amendment is in. */
export const refused = <T>(error: string): DeskResult<T> => refuse('refused-state', error);

/** The refusal for a story id with no story behind it. */
export const noStory = <T>(storyId: string): DeskResult<T> =>
  refuse('not-found', `no story with id ${storyId}`);
