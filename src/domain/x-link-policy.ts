/**
 * Where a story's link goes on X, which decides what the thread costs (X bills a post holding a URL
 * at its with-URL price): `first` with the headline, `last` at the end of the last post, `reply` alone in
 * a final reply of its own, `none` nowhere on X (the channel post keeps it).
 */
export type XLinkPolicy = 'first' | 'last' | 'reply' | 'none';

/** Every {@link XLinkPolicy}, in the order editors see them. */
export const X_LINK_POLICIES: readonly XLinkPolicy[] = ['last', 'first', 'reply', 'none'];

/**
 * How a story goes out on X: `thread` (posts of at most 280), `long-post` (one post up to the account's
 * long limit, cut with a link when longer), `auto` (one long post when the story fits, a thread otherwise).
 * Long posts need an account with X Premium (a limit above 280).
 */
export type XPostFormat = 'thread' | 'long-post' | 'auto';
