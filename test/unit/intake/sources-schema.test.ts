import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  defaultSourcesConfig,
  resolveSources,
  sourcesFileSchema,
} from '../../../src/intake/sources-schema.js';

describe('sources.json schema', () => {
  it('the shipped config/sources.json is valid, with its sources disabled and the dictionary in the file', () => {
    const raw = JSON.parse(readFileSync(new URL('../../../config/sources.json', import.meta.url), 'utf8'));
    const file = sourcesFileSchema.parse(raw);
    expect(raw.relevance.terms.length).toBeGreaterThan(50);
    expect(resolveSources(file).sources).toEqual([]);
  });

  it('fills defaults and resolves name and threshold', () => {
    const config = resolveSources(
      sourcesFileSchema.parse({
        sources: { 'policy-wire': { url: 'https://p.example.com/feed/' } },
        relevance: { threshold: 6 },
      }),
    );
    expect(config.sources).toEqual([
      expect.objectContaining({
        id: 'policy-wire',
        name: 'policy-wire',
        mode: 'review',
        pollEveryMs: 300_000,
        threshold: 6,
      }),
    ]);
    expect(defaultSourcesConfig().relevance.requireGroups).toEqual(['crypto', 'regulation']);
  });

  it('names the key of every problem', () => {
    const result = sourcesFileSchema.safeParse({
      sources: {
        Bad_Id: { url: 'ftp://x' },
        ok: { url: 'https://x.example/', mode: 'publish', pollEveryMs: 5 },
      },
    });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((i) => i.path.join('.')) ?? [];
    expect(paths).toEqual(
      expect.arrayContaining(['sources.Bad_Id', 'sources.ok.mode', 'sources.ok.pollEveryMs']),
    );
  });
});
