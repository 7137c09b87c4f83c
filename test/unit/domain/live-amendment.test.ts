import { describe, expect, it } from 'vitest';
import {
  type Amendment,
  type AmendmentKind,
  isConfirmed,
  liveAmendment,
  nextAmendmentId,
} from '../../../src/domain/amendment.js';

const by = { kind: 'editor' as const, id: 1, name: '@ada' };
const amendment = (kind: AmendmentKind, id: string, extra: Partial<Amendment> = {}): Amendment => ({
  id,
  kind,
  text: kind,
  requestedAt: '2026-12-04T14:05:00.000Z',
  requestedBy: by,
  operations: [],
  ...extra,
});

describe('live stories in the amendments', () => {
  it('numbers each kind on its own: u1, u2 for updates (a discarded one keeps its number), l1 and e1', () => {
    const existing = [
      amendment('correction', 'c1'),
      amendment('update', 'u1', { discarded: true }),
      amendment('live', 'l1'),
    ];
    expect(nextAmendmentId(existing, 'update')).toBe('u2');
    expect(nextAmendmentId(existing, 'live')).toBe('l2');
    expect(nextAmendmentId(existing, 'close')).toBe('e1');
    expect(nextAmendmentId(existing, 'correction')).toBe('c2');
  });

  it('a story is live from a live until the next close, and never once retracted', () => {
    expect(liveAmendment([])).toBeUndefined();
    expect(liveAmendment([amendment('live', 'l1')])?.id).toBe('l1');
    expect(liveAmendment([amendment('live', 'l1'), amendment('close', 'e1')])).toBeUndefined();
    const again = [amendment('live', 'l1'), amendment('close', 'e1'), amendment('live', 'l2')];
    expect(liveAmendment(again)?.id).toBe('l2');
    expect(liveAmendment([...again, amendment('retraction', 'r1')])).toBeUndefined();
  });

  it('an update is confirmed once sent: neither in preview nor discarded', () => {
    expect(isConfirmed(amendment('update', 'u1', { proposed: true }))).toBe(false);
    expect(isConfirmed(amendment('update', 'u1', { discarded: true }))).toBe(false);
    expect(isConfirmed(amendment('update', 'u1'))).toBe(true);
    expect(isConfirmed(amendment('correction', 'c1'))).toBe(true);
  });
});
