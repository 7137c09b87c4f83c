import { timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import type { LoginThrottle } from './login-throttle.js';

/** One readiness check: what was checked and what was found. */
export interface ReadinessCheck {
  readonly ok: boolean;
  readonly detail: string;
}

/** The operator endpoints the web server exposes when given them. */
export interface OpsEndpoints {
  /** Prometheus exposition for `/metrics`. */
  readonly metrics?: () => Promise<{ contentType: string; body: string }>;
  /** Checks behind `/readyz`; ready only when every check is ok. */
  readonly readiness?: () => Promise<Record<string, ReadinessCheck>>;
  /** The queue dashboard (an express app mounted at `/admin/queues`), with its password. */
  readonly admin?: { readonly handler: http.RequestListener; readonly password: string };
}

const ADMIN_PREFIX = '/admin/queues';

/**
 * Serves `/healthz`, `/readyz`, `/metrics` and `/admin/queues`; resolves false when the path is none of
 * them. The dashboard asks for HTTP Basic auth (user `admin`) and is compared in constant time; with a
 * `loginThrottle`, a client address with too many wrong passwords gets 429 and `Retry-After` (seconds).
 */
export async function handleOpsRoute(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  path: string,
  ops: OpsEndpoints,
  loginThrottle?: LoginThrottle,
): Promise<boolean> {
  if (path === '/healthz' && req.method === 'GET') {
    json(res, 200, { ok: true });
    return true;
  }
  if (path === '/readyz' && req.method === 'GET') {
    if (!ops.readiness) {
      json(res, 200, { ready: true, checks: {} });
      return true;
    }
    const checks = await ops.readiness();
    const ready = Object.values(checks).every((c) => c.ok);
    const failing = Object.entries(checks)
      .filter(([, c]) => !c.ok)
      .map(([name, c]) => `${name}: ${c.detail}`);
    json(res, ready ? 200 : 503, { ready, checks, ...(ready ? {} : { reason: failing.join('; ') }) });
    return true;
  }
  if (path === '/metrics' && req.method === 'GET') {
    if (!ops.metrics) return false;
    const { contentType, body } = await ops.metrics();
    res.writeHead(200, { 'content-type': contentType });
    res.end(body);
    return true;
  }
  if (path === ADMIN_PREFIX || path.startsWith(`${ADMIN_PREFIX}/`)) {
    if (!ops.admin) {
      json(res, 404, { error: 'the queue dashboard is disabled: set ADMIN_PASSWORD to enable it' });
      return true;
    }
    const client = req.socket.remoteAddress ?? 'unknown';
    const waitMs = loginThrottle?.retryAfterMs(client) ?? 0;
    if (waitMs > 0) {
      res.writeHead(429, { 'retry-after': String(Math.ceil(waitMs / 1000)), 'cache-control': 'no-store' });
      res.end('too many failed logins from your address; try again later');
      return true;
    }
    if (!authorized(req.headers.authorization, ops.admin.password)) {
      // A request without credentials is a browser asking which realm, not a guess.
      if (req.headers.authorization !== undefined) loginThrottle?.failed(client);
      res.writeHead(401, { 'www-authenticate': 'Basic realm="regwire admin", charset="UTF-8"' });
      res.end('authentication required');
      return true;
    }
    ops.admin.handler(req, res);
    return true;
  }
  return false;
}

function authorized(header: string | undefined, password: string): boolean {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header ?? '');
  if (!match?.[1]) return false;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const expected = Buffer.from(`admin:${password}`, 'utf8');
  const given = Buffer.from(decoded, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function json(res: http.ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(value));
}
