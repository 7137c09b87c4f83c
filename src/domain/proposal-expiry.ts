import type { Amendment } from './amendment.js';

/** Whether `amendment` is a preview still waiting for an editor's Confirm or Cancel. */
export function isOpenProposal(amendment: Amendment): boolean {
  return amendment.proposed === true && amendment.discarded !== true;
}

/**
 * A story's amendments with every open proposal asked for `ttlMs` or longer before `nowMs` discarded, as a
 * Cancel would (`proposed` dropped, `discarded` set), with `expiredAt`; `expired` lists those. Nothing of an
 * expired proposal was sent, and its id is not used again.
 */
export function expireProposals(
  amendments: readonly Amendment[],
  nowMs: number,
  ttlMs: number,
): { readonly amendments: readonly Amendment[]; readonly expired: readonly Amendment[] } {
  const expired: Amendment[] = [];
  const next = amendments.map((amendment) => {
    if (!isOpenProposal(amendment) || nowMs - Date.parse(amendment.requestedAt) < ttlMs) return amendment;
    const { proposed: _proposed, ...rest } = amendment;
    const done: Amendment = { ...rest, discarded: true, expiredAt: new Date(nowMs).toISOString() };
    expired.push(done);
    return done;
  });
  return { amendments: next, expired };
}

/** How long an expired proposal waited, for editors: whole hours from 1 h on ("24 h"), else minutes. */
export function proposalWait(amendment: Amendment): string {
  const waitedMs =
    Date.parse(amendment.expiredAt ?? amendment.requestedAt) - Date.parse(amendment.requestedAt);
  return waitedMs >= 3_600_000
    ? `${Math.floor(waitedMs / 3_600_000)} h`
    : `${Math.floor(waitedMs / 60_000)} min`;
}

/**
 * The answer to a Confirm (or Send) of a proposal the sweep expired, e.g. "correction c2 of k3f9x2ab
 * expired unconfirmed after 24 h: nothing was sent; preview it again to send it"; `undefined` for any
 * other amendment.
 */
export function expiredProposalRefusal(storyId: string, amendment: Amendment): string | undefined {
  if (amendment.expiredAt === undefined) return undefined;
  return `${amendment.kind} ${amendment.id} of ${storyId} expired unconfirmed after ${proposalWait(amendment)}: nothing was sent; preview it again to send it`;
}
