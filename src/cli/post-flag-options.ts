import { InputError } from '../errors/input-error.js';
import type { PostFlagChoice } from '../format/post-flags-text.js';

/** `regwire queue`'s options that say how the channel post goes out, for `parseArgs`. */
export const POST_FLAG_OPTIONS = {
  silent: { type: 'boolean' },
  loud: { type: 'boolean' },
  protect: { type: 'boolean' },
  unprotected: { type: 'boolean' },
} as const;

/**
 * The command line's choice (`--silent` / `--loud`, `--protect` / `--unprotected`) over the story file's
 * (`"silent"`, `"protect"`): a flag given wins, a flag left out keeps the file's, and what neither says
 * follows the destination (its `post` default, quiet hours that mean "send silently"). Both of a pair is
 * refused with one line.
 */
export function choosePostFlags(
  values: {
    readonly silent?: boolean | undefined;
    readonly loud?: boolean | undefined;
    readonly protect?: boolean | undefined;
    readonly unprotected?: boolean | undefined;
  },
  fromFile: PostFlagChoice,
): PostFlagChoice {
  if (values.silent && values.loud) throw new InputError('give one of --silent, --loud');
  if (values.protect && values.unprotected) throw new InputError('give one of --protect, --unprotected');
  const silent = values.silent ? true : values.loud ? false : fromFile.silent;
  const protectContent = values.protect ? true : values.unprotected ? false : fromFile.protectContent;
  return {
    ...(silent === undefined ? {} : { silent }),
    ...(protectContent === undefined ? {} : { protectContent }),
  };
}
