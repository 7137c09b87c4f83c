import { describe, expect, it } from 'vitest';
import { amendmentKeyboard } from '../../../src/bot/amendment-preview.js';
import { decodeCallback, encodeCallback } from '../../../src/bot/callback-data.js';

describe("a correction's or retraction's preview buttons", () => {
  it('Confirm and Cancel carry the story and the amendment, and decode back', () => {
    const [row] = amendmentKeyboard('k3m9x2qa', 'c2').inline_keyboard;
    expect(row?.map((b) => b.text)).toEqual(['Confirm', 'Cancel']);
    expect(row?.map((b) => decodeCallback(b.callback_data))).toEqual([
      { kind: 'amendment', action: 'confirm', storyId: 'k3m9x2qa', amendmentId: 'c2' },
      { kind: 'amendment', action: 'cancel', storyId: 'k3m9x2qa', amendmentId: 'c2' },
    ]);
    expect(
      encodeCallback({ kind: 'amendment', action: 'confirm', storyId: 'k3m9x2qa', amendmentId: 'r1' }),
    ).toBe('m:c:k3m9x2qa:r1');
  });

  it('reads forged or malformed amendment data as stale', () => {
    for (const data of ['m:c:k3m9x2qa', 'm:s:k3m9x2qa:c1', 'm:c:k3m9x2qa:u1', 'm:c:k3m9x2qa:c1:x'])
      expect(decodeCallback(data)).toBeUndefined();
  });
});
