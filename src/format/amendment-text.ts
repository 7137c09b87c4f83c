import type { MessageEntity, TelegramPayload } from '../domain/rendered.js';
import type { TelegramEdit } from '../domain/telegram-edit.js';
import type { AmendmentOptions } from './amendment-options.js';
import { TELEGRAM_LIMITS } from './limits.js';
import { type FormattedText, joinText } from './telegram-text.js';
import { parsePost } from './x-length.js';

/** A text for an amendment, or why it cannot be sent as it is (too long for the platform). */
export type AmendmentText<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: string };

/** HH:MM of `atMs` in UTC. */
export function utcClock(atMs: number): string {
  return new Date(atMs).toISOString().slice(11, 16);
}

function fill(template: string, values: { time: string; text: string; title: string }): string {
  return template.replace(/\{(time|text|title)\}/g, (_m, key: 'time' | 'text' | 'title') => values[key]);
}

const styled = (text: string, type: string): FormattedText => ({
  text,
  entities: text === '' ? [] : [{ type, offset: 0, length: text.length }],
});

function asEdit(
  payload: TelegramPayload,
  body: FormattedText,
  keepMarkup: boolean,
): AmendmentText<TelegramEdit> {
  const photo = payload.method === 'sendPhoto';
  const limit = photo ? TELEGRAM_LIMITS.caption : TELEGRAM_LIMITS.messageText;
  if (body.text.length > limit) {
    return {
      ok: false,
      reason: `the edited ${photo ? 'caption' : 'post'} would be ${body.text.length} characters; Telegram allows ${limit}`,
    };
  }
  const markup = keepMarkup && payload.reply_markup ? { reply_markup: payload.reply_markup } : {};
  const entities: readonly MessageEntity[] = body.entities;
  if (photo) {
    return {
      ok: true,
      value: { method: 'editMessageCaption', caption: body.text, caption_entities: entities, ...markup },
    };
  }
  return {
    ok: true,
    value: {
      method: 'editMessageText',
      text: body.text,
      entities,
      ...(payload.link_preview_options ? { link_preview_options: payload.link_preview_options } : {}),
      ...markup,
    },
  };
}

/**
 * The edit that corrects a channel post: `payload` (the post as published, or as the corrected story
 * renders it) with the correction line (italic, `options.telegramCorrection`) under it. A photo post's
 * caption keeps its 1024-character limit, a text post its 4096.
 */
export function correctionEdit(
  payload: TelegramPayload,
  note: string,
  atMs: number,
  options: AmendmentOptions,
): AmendmentText<TelegramEdit> {
  const base: FormattedText =
    payload.method === 'sendPhoto'
      ? { text: payload.caption, entities: payload.caption_entities }
      : { text: payload.text, entities: payload.entities };
  const line = fill(options.telegramCorrection, { time: utcClock(atMs), text: note.trim(), title: '' });
  return asEdit(payload, joinText([base, styled(line, 'italic')], '\n\n'), true);
}

/**
 * The edit that turns a channel post into a retraction notice (`options.telegramRetraction`, its first
 * line bold), for a post Telegram no longer lets the bot delete. Buttons go.
 */
export function retractionEdit(
  payload: TelegramPayload,
  reason: string,
  title: string,
  atMs: number,
  options: AmendmentOptions,
): AmendmentText<TelegramEdit> {
  const text = fill(options.telegramRetraction, { time: utcClock(atMs), text: reason.trim(), title });
  const firstLine = text.split('\n', 1)[0] ?? '';
  return asEdit(
    payload,
    joinText([styled(firstLine, 'bold'), { text: text.slice(firstLine.length), entities: [] }], ''),
    false,
  );
}

function xText(
  template: string,
  values: { time: string; text: string; title: string },
): AmendmentText<string> {
  const text = fill(template, values).trim();
  const { weightedLength, valid } = parsePost(text);
  if (!valid) return { ok: false, reason: `the post would weigh ${weightedLength} of X's 280` };
  return { ok: true, value: text };
}

/** The reply posted under a corrected thread's first tweet (`options.xCorrection`). */
export function xCorrectionText(
  note: string,
  atMs: number,
  options: AmendmentOptions,
): AmendmentText<string> {
  return xText(options.xCorrection, { time: utcClock(atMs), text: note.trim(), title: '' });
}

/** The notice posted after a retracted thread is deleted, or `undefined` when none is configured. */
export function xRetractionNotice(
  reason: string,
  title: string,
  atMs: number,
  options: AmendmentOptions,
): AmendmentText<string> | undefined {
  if (options.xRetractionNotice.trim() === '') return undefined;
  return xText(options.xRetractionNotice, { time: utcClock(atMs), text: reason.trim(), title });
}
