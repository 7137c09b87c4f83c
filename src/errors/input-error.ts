/**
 * Bad input from a person (a story file, a CLI argument, a chat command). The message is written
 * for that person: one line, says what is wrong and, where it helps, what would work.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  readonly code = 'BAD_INPUT';
}

/** Configuration that cannot be used. The message names the key and what is wrong, never a value of a secret. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'BAD_CONFIG';
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}
