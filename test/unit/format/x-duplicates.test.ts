import { describe, expect, it } from 'vitest';
import { duplicateOf } from '../../../src/format/x-duplicates.js';
import { xDuplicateProblems } from '../../../src/format/x-preflight.js';

const sent = [
  { text: 'Correction: the vote was 3-2', what: 'correction c1 of abc12345', at: '2026-12-04T14:05:00.000Z' },
  {
    text: '2/ ESMA names the next six MiCA licences',
    what: 'tweet 2 of def67890',
    at: '2026-12-04T09:30:00.000Z',
  },
];

describe('duplicateOf', () => {
  it('finds a post with the same words, whatever the spacing or Unicode composition', () => {
    expect(duplicateOf('Correction:  the vote\nwas 3-2 ', sent)?.what).toBe('correction c1 of abc12345');
    expect(duplicateOf('2/ ESMA names the next six MiCA licences', sent)?.what).toBe('tweet 2 of def67890');
    expect(duplicateOf('Caf\u0065\u0301 ban', [{ ...sent[0]!, text: 'Caf\u00e9 ban' }])).toBeDefined();
  });

  it('other words, other case or an empty text are not duplicates', () => {
    expect(duplicateOf('Correction: the vote was 4-1', sent)).toBeUndefined();
    expect(duplicateOf('correction: the vote was 3-2', sent)).toBeUndefined();
    expect(duplicateOf('   ', [{ ...sent[0]!, text: '' }])).toBeUndefined();
  });
});

describe('xDuplicateProblems', () => {
  it('names each repeating tweet, what it repeats and when that went out', () => {
    const posts = [{ text: '1/ MiCA: the register' }, { text: '2/ ESMA names the next six MiCA licences' }];
    expect(xDuplicateProblems(posts, sent)).toEqual([
      {
        kind: 'duplicate',
        post: 2,
        message:
          'tweet 2 is the same text as tweet 2 of def67890, sent 09:30 UTC: X refuses a post that repeats a recent one; reword it',
      },
    ]);
  });
});
