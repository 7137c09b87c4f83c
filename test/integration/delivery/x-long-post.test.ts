import { describe, expect, it } from 'vitest';
import { parsePost } from '../../../src/format/x-length.js';
import { X_SANDBOX_ACCOUNT } from '../../../src/sandbox/standins/x/index.js';
import { allSettled, auditStories, LIMITS_OFF, queueStories } from '../../support/delivery-harness.js';
import { waitFor } from '../../support/wait-for.js';
import { useWorkersRigs, type WorkersRig } from '../../support/workers-rig.js';

// Long posts through the whole pipeline: the formatter, the worker, the real client, the stand-in's
// per-account length rule.
describe('long posts for an X Premium account', () => {
  const rigs = useWorkersRigs();

  async function rig(xFormat: Record<string, unknown>, premium: boolean): Promise<WorkersRig> {
    const account = premium ? { ...X_SANDBOX_ACCOUNT, maxWeightedLength: 25_000 } : X_SANDBOX_ACCOUNT;
    const r = await rigs.start({
      name: 'long',
      delivery: { ...LIMITS_OFF, xFormat },
      x: { accounts: [account] },
    });
    return r;
  }

  for (const format of ['auto', 'long-post'] as const) {
    it(`${format}: one valid long post for a Premium account`, async () => {
      const { app, x } = await rig({ maxWeightedLength: 25_000, format }, true);
      const [id = ''] = await queueStories(app.services, 1, format);
      await waitFor(() => allSettled(app.services, [id]), { what: 'the story to settle' });
      const [audit] = await auditStories(app.services, [id], undefined, x);
      expect(audit).toMatchObject({
        xState: 'published',
        tweets: 1,
        chainComplete: true,
        ledgerMatches: true,
      });
      const [tweet] = x.tweets();
      expect(parsePost(tweet?.text ?? '', 25_000)).toMatchObject({ valid: true });
      expect(parsePost(tweet?.text ?? '').weightedLength).toBeGreaterThan(280);
    });
  }

  for (const format of ['auto', 'long-post'] as const) {
    it(`${format}: a thread of posts within 280 for an account configured at 280`, async () => {
      const { app, x } = await rig({ format }, false);
      const [id = ''] = await queueStories(app.services, 1, 'standard');
      await waitFor(() => allSettled(app.services, [id]), { what: 'the story to settle' });
      const [audit] = await auditStories(app.services, [id], undefined, x);
      expect(audit).toMatchObject({ xState: 'published', tweets: 4, chainComplete: true });
      for (const t of x.tweets()) expect(parsePost(t.text).valid).toBe(true);
    });
  }
});
