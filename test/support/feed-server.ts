import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the loopback server answers one path. */
export type FeedRoute =
  | {
      readonly kind?: 'static';
      readonly body: string | Buffer;
      readonly contentType?: string;
      readonly status?: number;
      /** Answers 304 to a matching `If-None-Match`. */
      readonly etag?: string;
      /** Answers 304 to a matching `If-Modified-Since`. */
      readonly lastModified?: string;
    }
  | { readonly kind: 'redirect'; readonly to: string; readonly status?: number }
  /** Redirects `/path` → `/path/1` → `/path/2` … forever. */
  | { readonly kind: 'redirect-loop' }
  /** Streams `bytes` of XML-ish filler in 64 KB chunks without a Content-Length (a 50 MB feed). */
  | { readonly kind: 'huge'; readonly bytes: number }
  /** Never answers (until the server closes). */
  | { readonly kind: 'hang' }
  /** Closes the connection without answering. */
  | { readonly kind: 'reset' };

/** A loopback HTTP server publishing feeds, pages and images like real outlets do. */
export interface FeedServer {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  /** Absolute URL of `path`. */
  url(path: string): string;
  /** Sets (or replaces) what `path` answers. */
  set(path: string, route: FeedRoute): void;
  /** Requests received for `path` (query ignored), with their conditional headers. */
  requests(path: string): readonly { readonly ifNoneMatch?: string; readonly ifModifiedSince?: string }[];
  /** Bytes actually written for `path` by `huge` routes (to show the client stopped reading). */
  bytesSent(path: string): number;
  /** `huge` answers for `path` that are over: written to the end, or cut off by the client. */
  hugeDone(path: string): number;
  close(): Promise<void>;
}

/** Starts a {@link FeedServer} on 127.0.0.1 with a free port. */
export async function startFeedServer(): Promise<FeedServer> {
  const routes = new Map<string, FeedRoute>();
  const log = new Map<string, { ifNoneMatch?: string; ifModifiedSince?: string }[]>();
  const sent = new Map<string, number>();
  const done = new Map<string, number>();

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const entry = {
      ...(typeof req.headers['if-none-match'] === 'string'
        ? { ifNoneMatch: req.headers['if-none-match'] }
        : {}),
      ...(typeof req.headers['if-modified-since'] === 'string'
        ? { ifModifiedSince: req.headers['if-modified-since'] }
        : {}),
    };
    log.set(path, [...(log.get(path) ?? []), entry]);
    const loop = [...routes.entries()].find(
      ([p, r]) => r.kind === 'redirect-loop' && path.startsWith(`${p}/`),
    );
    if (loop) {
      const n = Number(path.slice(loop[0].length + 1)) || 0;
      res.writeHead(302, { location: `${loop[0]}/${n + 1}` }).end();
      return;
    }
    const route = routes.get(path);
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body>Not found</body></html>');
      return;
    }
    switch (route.kind) {
      case 'redirect':
        res.writeHead(route.status ?? 301, { location: route.to }).end();
        return;
      case 'redirect-loop':
        res.writeHead(302, { location: `${path}/1` }).end();
        return;
      case 'hang':
        return;
      case 'reset':
        req.socket.destroy();
        return;
      case 'huge': {
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        const chunk = Buffer.alloc(64 * 1024, '<item><title>x</title></item>');
        let written = 0;
        const pump = () => {
          while (written < route.bytes) {
            written += chunk.length;
            sent.set(path, written);
            if (!res.write(chunk)) {
              res.once('drain', pump);
              return;
            }
          }
          res.end();
        };
        res.on('close', () => {
          res.removeAllListeners('drain');
          done.set(path, (done.get(path) ?? 0) + 1);
        });
        pump();
        return;
      }
      default: {
        if (
          (route.etag && req.headers['if-none-match'] === route.etag) ||
          (route.lastModified && req.headers['if-modified-since'] === route.lastModified)
        ) {
          res.writeHead(304).end();
          return;
        }
        res.writeHead(route.status ?? 200, {
          'content-type': route.contentType ?? 'application/rss+xml; charset=UTF-8',
          ...(route.etag ? { etag: route.etag } : {}),
          ...(route.lastModified ? { 'last-modified': route.lastModified } : {}),
        });
        res.end(route.body);
      }
    }
  };

  const server = http.createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: (path) => `${origin}${path}`,
    set: (path, route) => routes.set(path, route),
    requests: (path) => log.get(path) ?? [],
    bytesSent: (path) => sent.get(path) ?? 0,
    hugeDone: (path) => done.get(path) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
