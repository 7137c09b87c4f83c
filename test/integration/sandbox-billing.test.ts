import type { TwitterApi } from 'twitter-api-v2';
import { describe, expect, it } from 'vitest';
import { createXClient } from '../../src/adapters/x/index.js';
import { startSandbox } from '../../src/sandbox/start-sandbox.js';

describe('sandbox X billing', () => {
  it('the page’s feed shows what the sandbox X account was billed at the configured prices', async () => {
    const sandbox = await startSandbox({
      xPricing: {
        createUsd: 0.02,
        createWithUrlUsd: 0.5,
        postReadUsd: 0.01,
        ownedPostReadUsd: 0.002,
        readOn: '2026-12-04',
      },
    });
    try {
      expect(sandbox.feed.snapshot().x.billing).toEqual({ spentUsd: 0, balanceUsd: null });
      const client: TwitterApi = createXClient(sandbox.x);
      await client.v2.tweet('Plain post');
      await client.v2.tweet('With a link https://example.com/a');
      expect(sandbox.feed.snapshot().x.billing).toEqual({ spentUsd: 0.52, balanceUsd: null });
    } finally {
      await sandbox.close();
    }
  });
});
