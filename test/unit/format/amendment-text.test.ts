import { describe, expect, it } from 'vitest';
import type { TelegramPayload } from '../../../src/domain/rendered.js';
import {
  correctionEdit,
  retractionEdit,
  xCorrectionText,
  xRetractionNotice,
} from '../../../src/format/amendment-text.js';
import { defaultRenderOptions } from '../../../src/format/render-options.js';

const options = defaultRenderOptions.amendments;
const AT = Date.parse('2026-12-04T14:05:59Z');
const text: TelegramPayload = {
  method: 'sendMessage',
  text: 'SEC approves ETF\n\nBody.',
  entities: [{ type: 'bold', offset: 0, length: 16 }],
  link_preview_options: { is_disabled: true },
};
const photo: TelegramPayload = {
  method: 'sendPhoto',
  photo: 'https://example.com/a.jpg',
  caption: 'x'.repeat(990),
  caption_entities: [],
};

describe('correction and retraction texts', () => {
  it('adds an italic Corrected line under the post, keeping its entities and preview options', () => {
    const edit = correctionEdit(text, ' the vote was 3-2 ', AT, options);
    expect(edit).toEqual({
      ok: true,
      value: {
        method: 'editMessageText',
        text: 'SEC approves ETF\n\nBody.\n\nCorrected 14:05 UTC: the vote was 3-2',
        entities: [
          { type: 'bold', offset: 0, length: 16 },
          { type: 'italic', offset: 25, length: 37 },
        ],
        link_preview_options: { is_disabled: true },
      },
    });
  });

  it('refuses a caption correction past 1024 characters, saying by how much', () => {
    const edit = correctionEdit(photo, 'a longer correction than fits under the caption', AT, options);
    expect(edit).toEqual({
      ok: false,
      reason: 'the edited caption would be 1060 characters; Telegram allows 1024',
    });
  });

  it('edits a photo post through its caption', () => {
    const edit = correctionEdit({ ...photo, caption: 'Chart' }, 'units are BTC', AT, options);
    expect(edit.ok && edit.value.method).toBe('editMessageCaption');
  });

  it('turns a post into a retraction notice with a bold first line and no buttons', () => {
    const edit = retractionEdit(
      { ...text, reply_markup: { inline_keyboard: [[{ text: 'Read', url: 'https://example.com' }]] } },
      'it did not happen',
      'SEC approves ETF',
      AT,
      options,
    );
    expect(edit).toEqual({
      ok: true,
      value: {
        method: 'editMessageText',
        text: 'Retracted 14:05 UTC: it did not happen\n\nSEC approves ETF',
        entities: [{ type: 'bold', offset: 0, length: 38 }],
        link_preview_options: { is_disabled: true },
      },
    });
  });

  it('writes the X correction within 280 and posts no notice unless configured', () => {
    expect(xCorrectionText('SEC, not CFTC', AT, options)).toEqual({
      ok: true,
      value: 'Correction: SEC, not CFTC',
    });
    expect(xCorrectionText('x'.repeat(280), AT, options).ok).toBe(false);
    expect(xRetractionNotice('r', 't', AT, options)).toBeUndefined();
    expect(
      xRetractionNotice('r', 't', AT, { ...options, xRetractionNotice: 'Retracted: {title} ({text})' }),
    ).toEqual({
      ok: true,
      value: 'Retracted: t (r)',
    });
  });
});
