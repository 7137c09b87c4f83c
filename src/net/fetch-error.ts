/** Why a bounded fetch gave up. Stable codes for logs and tests. */
export type FetchErrorCode =
  | 'bad-url'
  /** The host is, or resolves to, a private or local network address. */
  | 'blocked-address'
  | 'timeout'
  | 'too-large'
  | 'too-many-redirects'
  | 'http-status'
  | 'network'
  | 'aborted';

/**
 * A feed, page or image could not be fetched. `status` is set for `http-status`; the message is one line
 * for logs and editors and never contains credentials (feed URLs are configured, not secret).
 */
export class FetchError extends Error {
  override readonly name = 'FetchError';
  readonly code: FetchErrorCode;
  readonly url: string;
  readonly status: number | undefined;

  constructor(
    code: FetchErrorCode,
    url: string,
    message: string,
    options: { status?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.url = url;
    this.status = options.status;
  }
}
