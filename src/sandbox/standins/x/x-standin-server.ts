import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SERVER_ERROR_TITLES, STAND_IN_FAULT_KINDS, serverErrorOf } from '../fault-kinds.js';
import { CreditLedger } from './credit-ledger.js';
import { FaultRules } from './fault-rules.js';
import { MediaUploads } from './media-upload.js';
import { TweetStore } from './tweet-store.js';
import { matchRoute, XApi } from './x-api.js';
import { blankProblem, routeNotFound, type StandInReply, withHeaders } from './x-problems.js';
import {
  X_SANDBOX_ACCOUNT,
  type XStandIn,
  type XStandInEvent,
  type XStandInFault,
  type XStandInOptions,
} from './x-standin-types.js';

const MAX_BODY_BYTES = 1_000_000;
// A media append carries a chunk (twitter-api-v2 sends 1 MB; X takes up to 5 MB) plus multipart framing.
const MAX_MEDIA_BODY_BYTES = 6 * 1024 * 1024;

function readBody(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) req.destroy(new Error('body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, reply: StandInReply): void {
  const payload = reply.body === undefined ? '' : JSON.stringify(reply.body);
  res.writeHead(reply.status, { ...reply.headers, 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Starts a stand-in X API v2 server on loopback: OAuth 1.0a verification, weighted-length, duplicate and
 * reply-target rules, per-user rate windows with X's headers, fault injection, and an inspection API
 * (programmatic and under `/_standin/...`).
 */
export async function startXStandIn(options: XStandInOptions = {}): Promise<XStandIn> {
  const now = options.now ?? Date.now;
  const listeners = new Set<(event: XStandInEvent) => void>();
  const emit = (event: XStandInEvent): void => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch {
        // A failing observer must not break the request being served.
      }
    }
  };
  const store = new TweetStore(now);
  const media = new MediaUploads(now);
  const faults = new FaultRules(options.faultSeed ?? 1);
  const ledger = new CreditLedger({ ...options.billing, now });
  const restricted = new Set<string>();
  const restrictReplies = (tweetId: string, on = true): void => {
    if (on) restricted.add(tweetId);
    else restricted.delete(tweetId);
  };
  const api = new XApi(
    {
      accounts: options.accounts ?? [X_SANDBOX_ACCOUNT],
      verifySignatures: options.verifySignatures ?? true,
      windowMs: options.windowMs ?? 15 * 60 * 1000,
      perWindow: options.perWindow ?? 100,
      readPerWindow: options.readPerWindow ?? 900,
      deletePerWindow: options.deletePerWindow ?? 50,
      perDay: options.perDay ?? 2400,
      duplicateWindowMs: options.duplicateWindowMs ?? 24 * 60 * 60 * 1000,
      now,
      textFidelity: options.textFidelity ?? true,
      seed: options.faultSeed ?? 1,
      ledger,
      repliesRestricted: (id) => restricted.has(id),
    },
    store,
    emit,
    media,
  );

  const reset = (): void => {
    store.reset();
    media.reset();
    faults.reset();
    api.reset();
    ledger.reset();
    restricted.clear();
  };

  async function serveInspection(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const method = req.method ?? 'GET';
    const body = await readBody(req);
    if (method === 'GET' && path === '/_standin/tweets') return send(res, ok({ data: store.all() }));
    if (method === 'GET' && path === '/_standin/threads') return send(res, ok({ data: store.threads() }));
    if (method === 'GET' && path === '/_standin/faults') return send(res, ok({ data: faults.list() }));
    if (method === 'GET' && path === '/_standin/fault-kinds')
      return send(res, ok({ data: STAND_IN_FAULT_KINDS }));
    if (method === 'POST' && path === '/_standin/faults') {
      try {
        faults.add(JSON.parse(body.toString('utf8')) as XStandInFault);
        return send(res, {
          status: 201,
          headers: { 'content-type': 'application/json' },
          body: { ok: true },
        });
      } catch (error) {
        return send(res, blankProblem(400, 'Bad Fault', error instanceof Error ? error.message : 'invalid'));
      }
    }
    if (method === 'DELETE' && path === '/_standin/faults') {
      faults.clear();
      return send(res, ok({ ok: true }));
    }
    if (method === 'GET' && path === '/_standin/billing') return send(res, ok({ data: ledger.state() }));
    if (method === 'POST' && path === '/_standin/billing') {
      const problem = applyBilling(ledger, body);
      return send(res, problem ?? ok({ data: ledger.state() }));
    }
    const rules = /^\/_standin\/tweets\/([0-9]{1,19})\/reply-rules$/.exec(path);
    if (method === 'POST' && rules?.[1]) {
      const { restricted: on } = parseObject(body);
      restrictReplies(rules[1], on !== false);
      return send(res, ok({ ok: true }));
    }
    if (method === 'POST' && path === '/_standin/reset') {
      reset();
      return send(res, ok({ ok: true }));
    }
    if (method === 'GET' && path === '/_standin/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write(': connected\n\n');
      const listener = (event: XStandInEvent) => res.write(`data: ${JSON.stringify(event)}\n\n`);
      listeners.add(listener);
      res.on('close', () => listeners.delete(listener));
      return;
    }
    return send(res, routeNotFound());
  }

  async function serveApi(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const method = req.method ?? 'GET';
    const target = req.url ?? '/';
    const match = matchRoute(method, path);
    const fault = match ? faults.draw(match.route) : undefined;
    const routeName = match?.route ?? `${method} ${path}`;
    const report = (status: number) =>
      emit({ type: 'request', route: routeName, status, ...(fault ? { fault: fault.kind } : {}) });

    if (fault?.kind === 'drop-before') {
      report(0);
      req.socket.destroy();
      return;
    }
    const body = await readBody(
      req,
      match?.route === 'POST /2/media/upload/:id/append' ? MAX_MEDIA_BODY_BYTES : MAX_BODY_BYTES,
    );
    if (!match) {
      report(404);
      return send(res, routeNotFound());
    }
    if (fault?.kind === 'http-429') {
      report(429);
      return send(res, withHeaders(blankProblem(429, 'Too Many Requests'), api.exhaustedHeaders(match)));
    }
    const serverError = fault ? serverErrorOf(fault.kind) : undefined;
    if (serverError && !serverError.afterActing) {
      report(serverError.status);
      return send(res, blankProblem(serverError.status, SERVER_ERROR_TITLES[serverError.status]));
    }
    if (fault?.kind === 'latency') await sleep(fault.latencyMs ?? 100);

    const reply = api.handle(
      {
        method,
        target,
        host: req.headers.host ?? '',
        authorization: req.headers.authorization,
        contentType: req.headers['content-type'],
        body,
      },
      match,
    );
    if (serverError?.afterActing) {
      report(serverError.status);
      return send(res, blankProblem(serverError.status, SERVER_ERROR_TITLES[serverError.status]));
    }
    report(reply.status);
    if (fault?.kind === 'drop-after') {
      req.socket.destroy();
      return;
    }
    // timeout-after: the request took effect; leave the client waiting until it gives up or we close.
    if (fault?.kind === 'timeout-after') return;
    send(res, reply);
  }

  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const work = path.startsWith('/_standin/') ? serveInspection(req, res, path) : serveApi(req, res, path);
    work.catch(() => {
      if (!res.headersSent) send(res, blankProblem(500, 'Internal Server Error'));
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    apiRoot: `http://${hostForUrl}:${address.port}`,
    port: address.port,
    tweets: () => store.all(),
    threads: () => store.threads(),
    media: () => media.all(),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    faults,
    billing: ledger,
    restrictReplies,
    reset,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Hung (timeout-after) and SSE connections would otherwise keep close() waiting forever.
        server.closeAllConnections();
      }),
  };
}

function parseObject(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  const parsed: unknown = JSON.parse(body.toString('utf8'));
  return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
}

const usdOrNull = (v: unknown): v is number | null =>
  v === null || (typeof v === 'number' && Number.isFinite(v));

/**
 * `POST /_standin/billing`: `{ "topUpUsd"?, "balanceUsd"? (null: unlimited), "spendingLimitUsd"? (null:
 * none), "runOut"?: "credits" | "spend-cap" }`, applied in that order. A problem for a malformed body.
 */
function applyBilling(ledger: CreditLedger, body: Buffer): StandInReply | undefined {
  let req: Record<string, unknown>;
  try {
    req = parseObject(body);
  } catch {
    return blankProblem(400, 'Bad Billing', 'not JSON');
  }
  const { topUpUsd, balanceUsd, spendingLimitUsd, runOut } = req;
  if (topUpUsd !== undefined && !(typeof topUpUsd === 'number' && topUpUsd > 0))
    return blankProblem(400, 'Bad Billing', 'topUpUsd must be a positive number');
  if (balanceUsd !== undefined && !usdOrNull(balanceUsd))
    return blankProblem(400, 'Bad Billing', 'balanceUsd must be a number or null');
  if (spendingLimitUsd !== undefined && !usdOrNull(spendingLimitUsd))
    return blankProblem(400, 'Bad Billing', 'spendingLimitUsd must be a number or null');
  if (runOut !== undefined && runOut !== 'credits' && runOut !== 'spend-cap')
    return blankProblem(400, 'Bad Billing', 'runOut must be "credits" or "spend-cap"');
  if (topUpUsd !== undefined) ledger.topUp(topUpUsd);
  if (balanceUsd !== undefined) ledger.setBalance(balanceUsd);
  if (spendingLimitUsd !== undefined) ledger.setSpendingLimit(spendingLimitUsd);
  if (runOut !== undefined) ledger.runOut(runOut);
  return undefined;
}

function ok(body: unknown): StandInReply {
  return { status: 200, headers: { 'content-type': 'application/json' }, body };
}
