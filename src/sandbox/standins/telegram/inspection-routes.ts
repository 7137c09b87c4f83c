import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultInjector } from './fault-injector.js';
import { readBody } from './request-params.js';
import type { StandInState } from './stand-in-state.js';
import type { ButtonPressInput, FaultSpec, UserMessageInput } from './stand-in-types.js';
import { STAND_IN_FAULT_KINDS } from './stand-in-types.js';

/** The URL prefix of the inspection API. */
export const INSPECTION_PREFIX = '/_standin/';

function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

async function jsonBody<T>(req: IncomingMessage): Promise<T> {
  const body = await readBody(req);
  return JSON.parse(body.length === 0 ? '{}' : body.toString('utf8')) as T;
}

function chatRef(url: URL): number | string | undefined {
  const value = url.searchParams.get('chat');
  if (value === null || value === '') return undefined;
  return /^-?\d+$/.test(value) ? Number(value) : value;
}

/**
 * The inspection API over HTTP, for other processes (a web page, a CLI):
 * - `GET  /_standin/` bots (without tokens) and chats
 * - `GET  /_standin/messages[?chat=]`, `GET /_standin/replies?chat=`
 * - `GET  /_standin/calls[?method=]`, `GET /_standin/callback-answers`
 * - `POST /_standin/user-messages` ({@link UserMessageInput}), `POST /_standin/button-presses` ({@link ButtonPressInput})
 * - `POST /_standin/age-message` (`{ chat, message_id, ms }`): the message now looks sent `ms` earlier
 * - `GET|POST|DELETE /_standin/faults`, `DELETE /_standin/faults/<id>`; `GET /_standin/fault-kinds` lists
 *   the kinds a fault may have ({@link STAND_IN_FAULT_KINDS})
 * - `GET  /_standin/events`: server-sent events, one `data:` line of JSON per {@link StandInEvent}
 * Answers `{ error }` with status 400 on a bad request.
 */
export async function handleInspection(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  state: StandInState,
  faults: FaultInjector,
): Promise<void> {
  const route = url.pathname.slice(INSPECTION_PREFIX.length).replace(/\/$/, '');
  const method = req.method ?? 'GET';
  try {
    if (route === '' && method === 'GET') {
      send(res, 200, {
        bots: state.bots.map((bot) => bot.user),
        chats: state.chatInfos(),
      });
    } else if (route === 'messages' && method === 'GET') {
      send(res, 200, { messages: state.messages(chatRef(url)) });
    } else if (route === 'replies' && method === 'GET') {
      const chat = chatRef(url);
      if (chat === undefined) throw new Error('chat is required');
      send(res, 200, { messages: state.messages(chat).filter((message) => !message.deleted) });
    } else if (route === 'calls' && method === 'GET') {
      send(res, 200, { calls: state.calls(url.searchParams.get('method') ?? undefined) });
    } else if (route === 'callback-answers' && method === 'GET') {
      send(res, 200, { answers: state.callbackAnswers() });
    } else if (route === 'user-messages' && method === 'POST') {
      send(res, 200, { update: state.sendUserMessage(await jsonBody<UserMessageInput>(req)) });
    } else if (route === 'button-presses' && method === 'POST') {
      send(res, 200, { update: state.pressButton(await jsonBody<ButtonPressInput>(req)) });
    } else if (route === 'age-message' && method === 'POST') {
      const input = await jsonBody<{ chat: number | string; message_id: number; ms: number }>(req);
      send(res, 200, { message: state.ageMessage(input.chat, input.message_id, input.ms) });
    } else if (route === 'faults' && method === 'GET') {
      send(res, 200, { faults: faults.list() });
    } else if (route === 'fault-kinds' && method === 'GET') {
      send(res, 200, { kinds: STAND_IN_FAULT_KINDS });
    } else if (route === 'faults' && method === 'POST') {
      send(res, 200, { id: faults.add(await jsonBody<FaultSpec>(req)) });
    } else if (route === 'faults' && method === 'DELETE') {
      faults.clear();
      send(res, 200, { ok: true });
    } else if (route.startsWith('faults/') && method === 'DELETE') {
      faults.remove(decodeURIComponent(route.slice('faults/'.length)));
      send(res, 200, { ok: true });
    } else if (route === 'events' && method === 'GET') {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
      res.write(': connected\n\n');
      const unsubscribe = state.onEvent((event) => res.write(`data: ${JSON.stringify(event)}\n\n`));
      req.on('close', unsubscribe);
    } else {
      send(res, 404, { error: `no inspection route ${method} ${url.pathname}` });
    }
  } catch (error) {
    send(res, 400, { error: error instanceof Error ? error.message : String(error) });
  }
}
