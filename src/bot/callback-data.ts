import type { XLinkPolicy } from '../domain/x-link-policy.js';

/** Preview buttons under a draft's preview. */
export type PreviewAction = 'next-slot' | 'now' | 'breaking' | 'schedule' | 'edit' | 'discard';
/**
 * Buttons under an alert in the editors' chat (`thread`: post the rest of a stopped X thread as a new one;
 * under a budget hold, `anyway`: post it over the budget, `hold`: keep it held, `nolink`: post it without
 * its link on X, the budget checked again).
 */
export type AlertAction = 'retry' | 'skip' | 'posted' | 'thread' | 'anyway' | 'hold' | 'nolink';

/** Buttons under an update's preview: send it, or drop it. */
export type UpdateAction = 'send' | 'discard';

/** Buttons under a correction's or retraction's preview: send it, or drop it. */
export type AmendmentAction = 'confirm' | 'cancel';

/** What an inline button asks for, decoded from its `callback_data`. */
export type CallbackAction =
  | { readonly kind: 'preview'; readonly action: PreviewAction; readonly storyId: string }
  | {
      readonly kind: 'alert';
      readonly action: AlertAction;
      readonly storyId: string;
      readonly destination: string;
    }
  | {
      readonly kind: 'update';
      readonly action: UpdateAction;
      readonly storyId: string;
      readonly updateId: string;
    }
  | {
      readonly kind: 'amendment';
      readonly action: AmendmentAction;
      readonly storyId: string;
      readonly amendmentId: string;
    }
  | { readonly kind: 'list'; readonly offset: number }
  | { readonly kind: 'digest-send' }
  /** Under a preview: send the story's X thread with this link policy (as `/link`). */
  | { readonly kind: 'link'; readonly link: XLinkPolicy; readonly storyId: string };

/** Telegram refuses `callback_data` longer than this many bytes (UTF-8). */
export const CALLBACK_DATA_MAX_BYTES = 64;

const PREVIEW_CODES: Readonly<Record<PreviewAction, string>> = {
  'next-slot': 'n',
  now: 'w',
  breaking: 'b',
  schedule: 's',
  edit: 'e',
  discard: 'd',
};
const ALERT_CODES: Readonly<Record<AlertAction, string>> = {
  retry: 'r',
  skip: 'k',
  posted: 'm',
  thread: 't',
  anyway: 'y',
  hold: 'h',
  nolink: 'n',
};
const LINK_CODES: Readonly<Record<XLinkPolicy, string>> = {
  last: 'l',
  first: 'f',
  reply: 'r',
  none: 'n',
};

const UPDATE_CODES: Readonly<Record<UpdateAction, string>> = { send: 's', discard: 'd' };
const AMENDMENT_CODES: Readonly<Record<AmendmentAction, string>> = { confirm: 'c', cancel: 'x' };

const STORY_ID = /^[0-9a-z]{1,16}$/;
const UPDATE_ID = /^u\d{1,6}$/;
const AMENDMENT_ID = /^[cr]\d{1,6}$/;
// A destination, or an amendment's operation on one (`telegram~u1`: see `amendmentDestination`).
const DESTINATION_ID = /^[a-z][a-z0-9-]{0,31}(~[a-z]\d{1,6})?$/;
const MAX_OFFSET = 100_000;

function invert<K extends string>(codes: Readonly<Record<K, string>>): ReadonlyMap<string, K> {
  return new Map(Object.entries(codes).map(([action, code]) => [code as string, action as K]));
}
const PREVIEW_BY_CODE = invert(PREVIEW_CODES);
const ALERT_BY_CODE = invert(ALERT_CODES);
const UPDATE_BY_CODE = invert(UPDATE_CODES);
const AMENDMENT_BY_CODE = invert(AMENDMENT_CODES);
const LINK_BY_CODE = invert(LINK_CODES);

/**
 * Encodes a button's action as `callback_data`: `p:<code>:<storyId>`, `a:<code>:<storyId>:<destination>`,
 * `u:<code>:<storyId>:<updateId>`, `m:<code>:<storyId>:<amendmentId>`, `l:<offset>`, `g:s` or `x:<link code>:<storyId>`. Throws RangeError when
 * the result would exceed {@link CALLBACK_DATA_MAX_BYTES}
 * (it cannot for valid story and destination ids).
 */
export function encodeCallback(action: CallbackAction): string {
  let data: string;
  switch (action.kind) {
    case 'preview':
      data = `p:${PREVIEW_CODES[action.action]}:${action.storyId}`;
      break;
    case 'alert':
      data = `a:${ALERT_CODES[action.action]}:${action.storyId}:${action.destination}`;
      break;
    case 'update':
      data = `u:${UPDATE_CODES[action.action]}:${action.storyId}:${action.updateId}`;
      break;
    case 'amendment':
      data = `m:${AMENDMENT_CODES[action.action]}:${action.storyId}:${action.amendmentId}`;
      break;
    case 'list':
      data = `l:${action.offset}`;
      break;
    case 'digest-send':
      data = 'g:s';
      break;
    case 'link':
      data = `x:${LINK_CODES[action.link]}:${action.storyId}`;
      break;
  }
  if (Buffer.byteLength(data, 'utf8') > CALLBACK_DATA_MAX_BYTES) {
    throw new RangeError(`callback data longer than ${CALLBACK_DATA_MAX_BYTES} bytes: ${data}`);
  }
  return data;
}

/**
 * Decodes `callback_data`; `undefined` for anything this version of the bot did not produce (stale
 * buttons from an older version, forged data). Never throws.
 */
export function decodeCallback(data: string | undefined): CallbackAction | undefined {
  if (data === undefined || data.length > CALLBACK_DATA_MAX_BYTES) return undefined;
  const parts = data.split(':');
  const [kind, code, storyId, destination] = parts;
  if (kind === 'p' && parts.length === 3) {
    const action = PREVIEW_BY_CODE.get(code ?? '');
    if (action && STORY_ID.test(storyId ?? '')) return { kind: 'preview', action, storyId: storyId! };
  }
  if (kind === 'a' && parts.length === 4) {
    const action = ALERT_BY_CODE.get(code ?? '');
    if (action && STORY_ID.test(storyId ?? '') && DESTINATION_ID.test(destination ?? '')) {
      return { kind: 'alert', action, storyId: storyId!, destination: destination! };
    }
  }
  if (kind === 'u' && parts.length === 4) {
    const action = UPDATE_BY_CODE.get(code ?? '');
    const updateId = destination;
    if (action && STORY_ID.test(storyId ?? '') && UPDATE_ID.test(updateId ?? '')) {
      return { kind: 'update', action, storyId: storyId!, updateId: updateId! };
    }
  }
  if (kind === 'm' && parts.length === 4) {
    const action = AMENDMENT_BY_CODE.get(code ?? '');
    const amendmentId = destination;
    if (action && STORY_ID.test(storyId ?? '') && AMENDMENT_ID.test(amendmentId ?? '')) {
      return { kind: 'amendment', action, storyId: storyId!, amendmentId: amendmentId! };
    }
  }
  if (kind === 'l' && parts.length === 2 && /^\d{1,6}$/.test(code ?? '')) {
    const offset = Number(code);
    if (offset <= MAX_OFFSET) return { kind: 'list', offset };
  }
  if (data === 'g:s') return { kind: 'digest-send' };
  if (kind === 'x' && parts.length === 3) {
    const link = LINK_BY_CODE.get(code ?? '');
    if (link && STORY_ID.test(storyId ?? '')) return { kind: 'link', link, storyId: storyId! };
  }
  return undefined;
}
