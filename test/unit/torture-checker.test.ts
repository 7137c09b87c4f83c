import { describe, expect, it } from 'vitest';
import { checkTorture } from '../torture/torture-checker.js';
import type {
  AckRecord,
  DestinationSnapshot,
  ObservedPost,
  StoryModel,
  TortureEvidence,
} from '../torture/torture-model.js';

const T0 = Date.parse('2026-12-01T10:00:00Z');
const ID = 'abcd2345';

function story(acks: AckRecord[], versions = 1): StoryModel {
  return {
    storyId: ID,
    n: 1,
    versions: [...Array(versions).keys()].map((rev) => ({
      rev,
      parts: {
        telegram: [`Story 1 r${rev}\n\nbody`],
        x: [`Story 1 r${rev} 1/2`, `Body 1 r${rev} https://news.example.com/1 2/2`],
      },
    })),
    acks,
  };
}

const queued: AckRecord = {
  step: 0,
  action: 'now',
  destinations: [],
  startedAt: T0,
  ackedAt: T0 + 10,
  ok: true,
  answer: 'created; scheduled now',
  createdStory: true,
  view: [
    { destination: 'telegram', state: 'scheduled', atMs: T0 + 10, parts: [] },
    { destination: 'x', state: 'scheduled', atMs: T0 + 10, parts: [] },
  ],
};

const tg = (id: string, atMs: number, rev = 0): ObservedPost => ({
  platform: 'telegram',
  remoteId: id,
  text: `Story 1 r${rev}\n\nbody`,
  atMs,
  deleted: false,
});
const tweet = (id: string, part: 0 | 1, atMs: number, replyTo?: string, rev = 0): ObservedPost => ({
  platform: 'x',
  remoteId: id,
  // X wraps links in t.co: the checker compares with links blanked.
  text: part === 0 ? `Story 1 r${rev} 1/2` : `Body 1 r${rev} https://t.co/abc 2/2`,
  atMs,
  ...(replyTo ? { replyTo } : {}),
  deleted: false,
});

const published = (tgId = '1', x0 = '100', x1 = '101'): DestinationSnapshot[] => [
  { destination: 'telegram', state: 'published', parts: [{ index: 0, state: 'sent', remoteId: tgId }] },
  {
    destination: 'x',
    state: 'published',
    parts: [
      { index: 0, state: 'sent', remoteId: x0 },
      { index: 1, state: 'sent', remoteId: x1 },
    ],
  },
];

function evidence(parts: Partial<TortureEvidence> & { stories: StoryModel[] }): TortureEvidence {
  return {
    posts: [],
    finalStatus: new Map(),
    alerts: [],
    unresolvedSeen: [],
    ...parts,
  };
}

const cleanPosts = [tg('1', T0 + 50), tweet('100', 0, T0 + 60), tweet('101', 1, T0 + 70, '100')];
const kinds = (e: TortureEvidence) => checkTorture(e).map((v) => v.kind);

describe('the torture checker', () => {
  it('finds nothing wrong with a story posted once, chained, and shown as published', () => {
    expect(
      checkTorture(
        evidence({
          stories: [story([queued])],
          posts: cleanPosts,
          finalStatus: new Map([[ID, published()]]),
        }),
      ),
    ).toEqual([]);
  });

  it('counts a part posted twice as a duplicate, deleted copies included', () => {
    const posts = [...cleanPosts, { ...tg('2', T0 + 90), deleted: true }];
    const found = checkTorture(
      evidence({ stories: [story([queued])], posts, finalStatus: new Map([[ID, published()]]) }),
    );
    expect(found).toEqual([
      expect.objectContaining({ kind: 'duplicate', storyId: ID, destination: 'telegram', part: 0 }),
    ]);
  });

  it('flags a part created after a cancel was acknowledged, unless the answer showed it in flight', () => {
    const cancel: AckRecord = {
      step: 3,
      action: 'cancel',
      destinations: [],
      startedAt: T0 + 55,
      ackedAt: T0 + 65,
      ok: true,
      answer: 'cancelled',
      view: [
        { destination: 'telegram', state: 'cancelled', parts: [{ index: 0, state: 'sent', remoteId: '1' }] },
        { destination: 'x', state: 'cancelled', parts: [{ index: 0, state: 'sending' }] },
      ],
    };
    const finalStatus = new Map([
      [
        ID,
        [
          {
            destination: 'telegram',
            state: 'cancelled',
            parts: [{ index: 0, state: 'sent', remoteId: '1' }],
          },
          {
            destination: 'x',
            state: 'cancelled',
            parts: [
              { index: 0, state: 'sent', remoteId: '100' },
              { index: 1, state: 'sent', remoteId: '101' },
            ],
          },
        ] satisfies DestinationSnapshot[],
      ],
    ]);
    const found = checkTorture(
      evidence({ stories: [story([queued, cancel])], posts: cleanPosts, finalStatus }),
    );
    // Tweet 1 was in flight (allowed, even though it landed at +60 < ack); tweet 2 started after the ack.
    expect(found).toEqual([expect.objectContaining({ kind: 'after-cancel', destination: 'x', part: 1 })]);
  });

  it('a refused cancel promises nothing', () => {
    const refused: AckRecord = {
      step: 3,
      action: 'cancel',
      destinations: ['x'],
      startedAt: T0 + 55,
      ackedAt: T0 + 65,
      ok: false,
      answer: 'x is already publishing',
    };
    expect(
      kinds(
        evidence({
          stories: [story([queued, refused])],
          posts: cleanPosts,
          finalStatus: new Map([[ID, published()]]),
        }),
      ),
    ).toEqual([]);
  });

  it('flags orphans and broken chains', () => {
    const posts = [tg('1', T0 + 50), tweet('100', 0, T0 + 60), tweet('101', 1, T0 + 70, '99')];
    expect(
      kinds(evidence({ stories: [story([queued])], posts, finalStatus: new Map([[ID, published()]]) })),
    ).toEqual(['orphan', 'broken-chain']);
  });

  it('flags a post before the time a reschedule named, and before an embargo', () => {
    const moved: AckRecord = {
      step: 1,
      action: 'reschedule',
      destinations: ['telegram'],
      startedAt: T0 + 20,
      ackedAt: T0 + 30,
      ok: true,
      answer: 'moved',
      view: [{ destination: 'telegram', state: 'scheduled', atMs: T0 + 5_000, parts: [] }],
    };
    const embargo: AckRecord = { ...queued, step: 0, action: 'embargo', embargoUntilMs: T0 + 65 };
    const found = checkTorture(
      evidence({
        stories: [story([embargo, moved])],
        posts: cleanPosts,
        finalStatus: new Map([[ID, published()]]),
      }),
    );
    expect(found.map((v) => [v.kind, v.destination, v.part])).toEqual([
      ['before-embargo', 'telegram', 0],
      ['early', 'telegram', 0],
      ['before-embargo', 'x', 0],
    ]);
  });

  it('asks that a publication left for an editor has an alert and shows its unresolved part', () => {
    const status: DestinationSnapshot[] = [
      { destination: 'telegram', state: 'needs-attention', parts: [{ index: 0, state: 'unknown' }] },
      published()[1]!,
    ];
    const base = { stories: [story([queued])], posts: cleanPosts, finalStatus: new Map([[ID, status]]) };
    expect(kinds(evidence(base))).toEqual(['unsurfaced']);
    expect(
      kinds(
        evidence({ ...base, alerts: [{ storyId: ID, destination: 'telegram', kind: 'unknown-outcome' }] }),
      ),
    ).toEqual([]);
    const seen = { storyId: ID, destination: 'x' as const, state: 'failed' };
    expect(kinds(evidence({ ...base, unresolvedSeen: [seen] }))).toEqual(['unsurfaced', 'unsurfaced']);
  });

  it('compares /status with the platform: ids, parts marked posted without one, posts it calls failed', () => {
    const status: DestinationSnapshot[] = [
      { destination: 'telegram', state: 'published', parts: [{ index: 0, state: 'sent' }] },
      {
        destination: 'x',
        state: 'published',
        parts: [
          { index: 0, state: 'sent', remoteId: '100' },
          { index: 1, state: 'failed' },
        ],
      },
    ];
    const found = checkTorture(
      evidence({ stories: [story([queued])], posts: cleanPosts, finalStatus: new Map([[ID, status]]) }),
    );
    expect(found.map((v) => [v.kind, v.destination, v.part])).toEqual([
      ['status-mismatch', 'telegram', 0],
      ['status-mismatch', 'x', 1],
    ]);
  });

  it('calls a publication lost when it says published with parts missing, and stuck when never settled', () => {
    const status: DestinationSnapshot[] = [
      { destination: 'telegram', state: 'scheduled', parts: [] },
      { destination: 'x', state: 'published', parts: [{ index: 0, state: 'sent', remoteId: '100' }] },
    ];
    const found = checkTorture(
      evidence({
        stories: [story([queued])],
        posts: [tweet('100', 0, T0 + 60)],
        finalStatus: new Map([[ID, status]]),
      }),
    );
    expect(found.map((v) => [v.kind, v.destination])).toEqual([
      ['stuck', 'telegram'],
      ['lost', 'x'],
    ]);
  });

  it('flags a thread mixing two versions of an edited story, and posts of no story', () => {
    const posts = [
      tg('1', T0 + 50, 1),
      tweet('100', 0, T0 + 60, undefined, 0),
      tweet('101', 1, T0 + 70, '100', 1),
      { ...tg('7', T0), text: 'something else' },
    ];
    const found = kinds(
      evidence({ stories: [story([queued], 2)], posts, finalStatus: new Map([[ID, published()]]) }),
    );
    expect(found.sort()).toEqual(['mixed-versions', 'unmatched-post']);
  });

  it('tells apart tweets that differ only in a link by the tweet they reply to', () => {
    const two = (storyId: string, n: number): StoryModel => ({
      storyId,
      n,
      versions: [
        {
          rev: 0,
          parts: { telegram: [], x: [`Story ${n} 1/2`, `Full story: https://news.example.com/${n} 2/2`] },
        },
      ],
      acks: [{ ...queued, view: [{ destination: 'x', state: 'scheduled', atMs: T0, parts: [] }] }],
    });
    const linkOnly = (id: string, replyTo: string, atMs: number): ObservedPost => ({
      platform: 'x',
      remoteId: id,
      text: 'Full story: https://t.co/xyz 2/2',
      atMs,
      replyTo,
      deleted: false,
    });
    const posts: ObservedPost[] = [
      { platform: 'x', remoteId: '1', text: 'Story 1 1/2', atMs: T0 + 20, deleted: false },
      { platform: 'x', remoteId: '2', text: 'Story 2 1/2', atMs: T0 + 30, deleted: false },
      linkOnly('3', '2', T0 + 40),
      linkOnly('4', '1', T0 + 50),
    ];
    const status = (a: string, b: string): DestinationSnapshot[] => [
      {
        destination: 'x',
        state: 'published',
        parts: [
          { index: 0, state: 'sent', remoteId: a },
          { index: 1, state: 'sent', remoteId: b },
        ],
      },
    ];
    const found = checkTorture(
      evidence({
        stories: [two('aaaa2222', 1), two('bbbb3333', 2)],
        posts,
        finalStatus: new Map([
          ['aaaa2222', status('1', '4')],
          ['bbbb3333', status('2', '3')],
        ]),
      }),
    );
    expect(found.filter((v) => v.destination === 'x')).toEqual([]);
  });

  it('does not call a post early while a "now" that allows it is being answered', () => {
    const later: AckRecord = {
      ...queued,
      view: [
        { destination: 'telegram', state: 'scheduled', atMs: T0 + 5_000, parts: [] },
        { destination: 'x', state: 'scheduled', atMs: T0 + 10, parts: [] },
      ],
    };
    const now: AckRecord = {
      step: 2,
      action: 'now',
      destinations: [],
      startedAt: T0 + 40,
      ackedAt: T0 + 90,
      ok: true,
      answer: 'now',
      view: [{ destination: 'telegram', state: 'published', atMs: T0 + 45, parts: [] }],
    };
    const base = { posts: cleanPosts, finalStatus: new Map([[ID, published()]]) };
    expect(kinds(evidence({ ...base, stories: [story([later])] }))).toEqual(['early']);
    expect(kinds(evidence({ ...base, stories: [story([later, now])] }))).toEqual([]);
  });

  it('holds an embargo only on the destinations its answer set it on', () => {
    const embargo: AckRecord = {
      step: 1,
      action: 'embargo',
      destinations: [],
      startedAt: T0 + 20,
      ackedAt: T0 + 30,
      ok: true,
      answer: 'embargoed telegram; x is going out right now',
      embargoUntilMs: T0 + 10_000,
      view: [
        { destination: 'telegram', state: 'scheduled', atMs: T0 + 10_000, parts: [] },
        { destination: 'x', state: 'publishing', atMs: T0 + 10, parts: [{ index: 0, state: 'sending' }] },
      ],
    };
    const found = checkTorture(
      evidence({
        stories: [story([queued, embargo])],
        posts: cleanPosts,
        finalStatus: new Map([[ID, published()]]),
      }),
    );
    expect(found.map((v) => [v.kind, v.destination, v.part])).toEqual([
      ['before-embargo', 'telegram', 0],
      ['early', 'telegram', 0],
    ]);
  });

  it('keeps a cancelled destination cancelled through a later embargo of the story', () => {
    const cancelX: AckRecord = {
      step: 1,
      action: 'cancel',
      destinations: ['x'],
      startedAt: T0 + 20,
      ackedAt: T0 + 30,
      ok: true,
      answer: 'cancelled x',
      view: [{ destination: 'x', state: 'cancelled', parts: [] }],
    };
    const embargo: AckRecord = {
      ...cancelX,
      step: 2,
      action: 'embargo',
      destinations: [],
      startedAt: T0 + 40,
      ackedAt: T0 + 45,
      embargoUntilMs: T0 + 46,
      view: [
        { destination: 'telegram', state: 'scheduled', atMs: T0 + 46, parts: [] },
        { destination: 'x', state: 'cancelled', parts: [] },
      ],
    };
    const status: DestinationSnapshot[] = [
      published()[0]!,
      { destination: 'x', state: 'cancelled', parts: [] },
    ];
    expect(
      kinds(
        evidence({
          stories: [story([queued, cancelX, embargo])],
          posts: [tg('1', T0 + 50)],
          finalStatus: new Map([[ID, status]]),
        }),
      ),
    ).toEqual([]);
  });
});
