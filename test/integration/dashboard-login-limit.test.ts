import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/util/logger.js';
import { startWebServer, type WebServer } from '../../src/web/web-server.js';

const PASSWORD = 'dashboard-password-1';

// Plain http.request, to choose the client's own loopback address (fetch cannot).
function get(
  base: string,
  options: { password?: string; from?: string } = {},
): Promise<{ status: number; retryAfter: string | undefined }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (options.password !== undefined) {
      headers.authorization = `Basic ${Buffer.from(`admin:${options.password}`).toString('base64')}`;
    }
    const req = http.get(
      new URL('admin/queues', base),
      { headers, ...(options.from ? { localAddress: options.from } : {}) },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            retryAfter: res.headers['retry-after'] as string | undefined,
          }),
        );
      },
    );
    req.on('error', reject);
  });
}

describe('dashboard login attempts, over HTTP on loopback', () => {
  let web: WebServer | undefined;

  afterEach(async () => {
    await web?.close();
  });

  async function start(): Promise<string> {
    web = await startWebServer({
      host: '127.0.0.1',
      port: 0,
      page: false,
      logger: silentLogger,
      ops: { admin: { handler: (_req, res) => res.end('dashboard'), password: PASSWORD } },
    });
    return web.url;
  }

  it('gives an address 10 wrong passwords, then 429 with Retry-After, even for the right one', async () => {
    const base = await start();
    for (let i = 0; i < 10; i++) expect((await get(base, { password: `guess-${i}` })).status).toBe(401);
    const refused = await get(base, { password: 'guess-10' });
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(590);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(600);
    expect((await get(base, { password: PASSWORD })).status).toBe(429);
    // Another address is not held back.
    expect((await get(base, { password: PASSWORD, from: '127.0.0.2' })).status).toBe(200);
  });

  it('never counts successful logins or requests without credentials', async () => {
    const base = await start();
    for (let i = 0; i < 30; i++) expect((await get(base, { password: PASSWORD })).status).toBe(200);
    for (let i = 0; i < 30; i++) expect((await get(base)).status).toBe(401);
    for (let i = 0; i < 9; i++) expect((await get(base, { password: 'wrong' })).status).toBe(401);
    expect((await get(base, { password: PASSWORD })).status).toBe(200);
  });
});
