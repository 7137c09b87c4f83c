import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicAddressesOnly } from '../../../src/net/address-guard.js';
import { fetchBounded } from '../../../src/net/bounded-fetch.js';
import { FetchError } from '../../../src/net/fetch-error.js';
import { publicOnlyFetch } from '../../../src/net/public-only-fetch.js';
import { type FeedServer, startFeedServer } from '../../support/feed-server.js';
import { waitFor } from '../../support/wait-for.js';

const limits = { timeoutMs: 2_000, maxBytes: 1_000_000, maxRedirects: 5 };

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (err) {
    expect(err).toBeInstanceOf(FetchError);
    return (err as FetchError).code;
  }
}

describe('fetchBounded on loopback', () => {
  let server: FeedServer;
  beforeAll(async () => {
    server = await startFeedServer();
  });
  afterAll(async () => server?.close());

  it('follows a few redirects and sends validators; a match answers not-modified', async () => {
    server.set('/feed', { body: '<rss/>', etag: '"v1"', lastModified: 'Sat, 28 Nov 2026 10:00:00 GMT' });
    server.set('/old', { kind: 'redirect', to: '/older' });
    server.set('/older', { kind: 'redirect', to: server.url('/feed'), status: 308 });
    const first = await fetchBounded(server.url('/old'), limits);
    expect(first).toMatchObject({ kind: 'ok', url: server.url('/feed'), etag: '"v1"', redirects: 2 });
    const again = await fetchBounded(server.url('/feed'), { ...limits, etag: '"v1"' });
    expect(again.kind).toBe('not-modified');
    expect(server.requests('/feed').at(-1)).toEqual({ ifNoneMatch: '"v1"' });
    const byDate = await fetchBounded(server.url('/feed'), {
      ...limits,
      lastModified: 'Sat, 28 Nov 2026 10:00:00 GMT',
    });
    expect(byDate.kind).toBe('not-modified');
  });

  it('gives up on endless redirects after maxRedirects hops', async () => {
    server.set('/loop', { kind: 'redirect-loop' });
    expect(await codeOf(fetchBounded(server.url('/loop'), limits))).toBe('too-many-redirects');
    expect(server.requests('/loop/6')).toHaveLength(0);
  });

  it('cuts a 50 MB answer off at the byte cap without reading it all', async () => {
    server.set('/huge', { kind: 'huge', bytes: 50 * 1024 * 1024 });
    expect(await codeOf(fetchBounded(server.url('/huge'), limits))).toBe('too-large');
    await waitFor(() => server.hugeDone('/huge') === 1 || undefined, { what: 'the answer to be over' });
    expect(server.bytesSent('/huge')).toBeLessThan(20 * 1024 * 1024);
  });

  it('times out a server that never answers, and reports resets and HTTP errors', async () => {
    server.set('/hang', { kind: 'hang' });
    server.set('/reset', { kind: 'reset' });
    server.set('/gone', { body: 'gone', status: 410 });
    expect(await codeOf(fetchBounded(server.url('/hang'), { ...limits, timeoutMs: 300 }))).toBe('timeout');
    expect(await codeOf(fetchBounded(server.url('/reset'), limits))).toBe('network');
    expect(await codeOf(fetchBounded(server.url('/gone'), limits))).toBe('http-status');
    expect(await codeOf(fetchBounded('file:///etc/passwd', limits))).toBe('bad-url');
  });

  it('with a public-addresses guard, requests nothing on a private address, and checks every redirect hop', async () => {
    server.set('/private', { body: '<rss/>' });
    const guard = publicAddressesOnly();
    await expect(fetchBounded(server.url('/private'), { ...limits, guard })).rejects.toMatchObject({
      code: 'blocked-address',
      message: expect.stringContaining('private or local network address (127.0.0.1)'),
    });
    expect(server.requests('/private')).toHaveLength(0);

    // A first hop the guard lets through (as a public site would be) cannot redirect into the network.
    const firstHopAllowed = (url: URL) => (url.pathname === '/hop' ? Promise.resolve() : guard(url));
    server.set('/hop', { kind: 'redirect', to: server.url('/private') });
    expect(await codeOf(fetchBounded(server.url('/hop'), { ...limits, guard: firstHopAllowed }))).toBe(
      'blocked-address',
    );
    expect(server.requests('/hop')).toHaveLength(1);
    expect(server.requests('/private')).toHaveLength(0);
  });

  it('connects only to public addresses: a name that turns internal after the check (DNS rebinding) is refused', async () => {
    server.set('/rebound', { body: '<rss/>' });
    const port = new URL(server.origin).port;
    // The check sees a public address; the connection, a moment later, would get loopback.
    const guard = publicAddressesOnly(async () => [{ address: '203.0.113.7' }]);
    const fetchImpl = publicOnlyFetch((_host, callback) =>
      callback(null, [{ address: '127.0.0.1', family: 4 }]),
    );
    const refused = fetchBounded(`http://news.example:${port}/rebound`, { ...limits, guard, fetchImpl });
    await expect(refused).rejects.toMatchObject({
      code: 'blocked-address',
      message: expect.stringContaining('news.example is a private or local network address (127.0.0.1)'),
    });
    expect(server.requests('/rebound')).toHaveLength(0);
  });

  it('fetches through that connection check like any fetch: redirects, validators, byte caps', async () => {
    // Every name resolves to this loopback server, and nothing is refused: only the plumbing is tested.
    const fetchImpl = publicOnlyFetch(
      (_host, callback) => callback(null, [{ address: '127.0.0.1', family: 4 }]),
      () => false,
    );
    const port = new URL(server.origin).port;
    const named = (path: string) => `http://feeds.example:${port}${path}`;
    server.set('/via-name', { kind: 'redirect', to: named('/named-feed') });
    server.set('/named-feed', { body: '<rss>named</rss>', etag: '"n1"' });
    const got = await fetchBounded(named('/via-name'), { ...limits, fetchImpl });
    expect(got).toMatchObject({ kind: 'ok', url: named('/named-feed'), redirects: 1, etag: '"n1"' });
    expect(got.kind === 'ok' ? got.body.toString() : '').toBe('<rss>named</rss>');
    expect((await fetchBounded(named('/named-feed'), { ...limits, fetchImpl, etag: '"n1"' })).kind).toBe(
      'not-modified',
    );
    server.set('/named-huge', { kind: 'huge', bytes: 5 * 1024 * 1024 });
    expect(
      await codeOf(fetchBounded(named('/named-huge'), { ...limits, maxBytes: 100_000, fetchImpl })),
    ).toBe('too-large');
  });
});
