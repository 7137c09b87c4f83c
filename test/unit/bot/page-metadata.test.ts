import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPageFetcher, PageFetchError, storyInputFromPage } from '../../../src/bot/page-metadata.js';
import { publicOnlyFetch } from '../../../src/net/public-only-fetch.js';

let server: http.Server;
let base = '';
let bytesServed = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    if (path === '/article') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        '<html><head><meta property="og:title" content="Fed on stablecoins"><meta name="description" content="The Fed spoke."></head></html>',
      );
    } else if (path.startsWith('/hop/')) {
      const n = Number(path.slice(5));
      res.writeHead(302, { location: n <= 0 ? '/article' : `/hop/${n - 1}` });
      res.end();
    } else if (path === '/huge') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.write('<title>Huge page</title>');
      const chunk = Buffer.alloc(64 * 1024, 'a');
      const timer = setInterval(() => {
        bytesServed += chunk.length;
        if (!res.write(chunk) || bytesServed > 50 * 1024 * 1024) {
          clearInterval(timer);
          res.end();
        }
      }, 1);
      res.on('close', () => clearInterval(timer));
    } else if (path === '/slow') {
      setTimeout(() => res.end('<title>late</title>'), 2_000);
    } else if (path === '/pdf') {
      res.writeHead(200, { 'content-type': 'application/pdf' });
      res.end('%PDF');
    } else {
      res.writeHead(404, 'Not Found');
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const signal = new AbortController().signal;

describe('createPageFetcher (loopback server)', () => {
  it('reads the metadata, following up to 5 redirects', async () => {
    const fetchPage = createPageFetcher();
    expect(await fetchPage(`${base}/hop/4`, signal)).toEqual({
      title: 'Fed on stablecoins',
      description: 'The Fed spoke.',
    });
    await expect(fetchPage(`${base}/hop/5`, signal)).rejects.toThrow('more than 5 redirects');
  });

  it('bounds size, time and type, and reports HTTP failures in one line', async () => {
    const fetchPage = createPageFetcher({ maxBytes: 256 * 1024, timeoutMs: 300 });
    expect(await fetchPage(`${base}/huge`, signal)).toEqual({ title: 'Huge page' });
    expect(bytesServed).toBeLessThan(40 * 1024 * 1024);
    await expect(fetchPage(`${base}/slow`, signal)).rejects.toThrow('did not answer within 0.3 s');
    await expect(fetchPage(`${base}/pdf`, signal)).rejects.toThrow('not a web page (application/pdf)');
    const missing = await fetchPage(`${base}/missing`, signal).catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(PageFetchError);
    expect((missing as Error).message).toBe('the site answered 404 Not Found');
    await expect(fetchPage('http://127.0.0.1:1/', signal)).rejects.toThrow('could not be reached');
  });

  it('turns the metadata into story input, or nothing without a title', () => {
    expect(
      storyInputFromPage('https://e.com/a', { title: 'T', lead: 'L', imageUrl: 'http://localhost/x.png' }),
    ).toEqual({ title: 'T', body: 'L', url: 'https://e.com/a' });
    expect(storyInputFromPage('https://e.com/a', { description: 'D' })).toBeUndefined();
  });

  it('fetching through public-only connections, tells the editor the link leads into a private network', async () => {
    const fetchPage = createPageFetcher({ fetchImpl: publicOnlyFetch() });
    const refused = fetchPage(`${base}/article`, new AbortController().signal);
    await expect(refused).rejects.toBeInstanceOf(PageFetchError);
    await expect(refused).rejects.toThrow('127.0.0.1 is a private or local network address');
  });
});
