/** Bot API `ResponseParameters`. */
export interface ResponseParameters {
  readonly retry_after?: number;
  readonly migrate_to_chat_id?: number;
}

/**
 * A refusal the stand-in answers with `{ ok: false, error_code, description, parameters? }`,
 * using the HTTP status equal to `error_code` like the real Bot API.
 */
export class BotApiError extends Error {
  override readonly name = 'BotApiError';

  constructor(
    readonly errorCode: number,
    readonly description: string,
    readonly parameters?: ResponseParameters,
  ) {
    super(`${errorCode}: ${description}`);
  }

  toJSON(): Record<string, unknown> {
    return {
      ok: false,
      error_code: this.errorCode,
      description: this.description,
      ...(this.parameters ? { parameters: this.parameters } : {}),
    };
  }
}

/** `400 Bad Request: <detail>`. */
export function badRequest(detail: string): BotApiError {
  return new BotApiError(400, `Bad Request: ${detail}`);
}

/** `400 Bad Request: can't parse entities: <detail>`. */
export function cantParseEntities(detail: string): BotApiError {
  return badRequest(`can't parse entities: ${detail}`);
}
