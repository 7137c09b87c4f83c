import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as it reached the recording proxy, before the stand-in behind it saw it. */
export interface LoggedRequest {
  /** `Date.now()` when the request's headers arrived. */
  readonly at: number;
  readonly method: string;
  readonly path: string;
  /** The body, parsed when it is JSON (else undefined). */
  readonly json: unknown;
}

export interface RequestLog {
  /** Point the client here instead of at the stand-in. */
  readonly apiRoot: string;
  requests(): readonly LoggedRequest[];
  close(): Promise<void>;
}

/**
 * A pass-through HTTP proxy in front of a stand-in that records when each request *arrived* (the
 * stand-ins record when they handle one, which injected latency shifts). Headers, including `Host`,
 * are forwarded unchanged, so OAuth 1.0a signatures made for the proxy's URL still verify.
 */
export async function startRequestLog(targetRoot: string): Promise<RequestLog> {
  const target = new URL(targetRoot);
  const log: LoggedRequest[] = [];
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((req, res) => {
    const at = Date.now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      let json: unknown;
      try {
        json = body.length > 0 ? JSON.parse(body.toString('utf8')) : undefined;
      } catch {
        json = undefined;
      }
      log.push({ at, method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0] ?? '/', json });
      const upstream = http.request(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
          agent,
        },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiRoot: `http://127.0.0.1:${port}`,
    requests: () => [...log],
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
