import { ApiResponseError, type TwitterApi } from 'twitter-api-v2';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  STAND_IN_FAULT_KINDS,
  startXStandIn,
  type XStandIn,
  type XStandInFaultKind,
} from '../../../src/sandbox/standins/x/index.js';
import { caught, standInClient } from '../../support/x-fixtures.js';

let standIn: XStandIn;
let client: TwitterApi;

beforeAll(async () => {
  standIn = await startXStandIn();
  client = standInClient(standIn, {}, 2_000);
});
afterEach(() => standIn.reset());
afterAll(() => standIn.close());

async function responseError(call: () => Promise<unknown>): Promise<ApiResponseError> {
  const error = await caught(call);
  expect(error).toBeInstanceOf(ApiResponseError);
  return error as ApiResponseError;
}

const STATUSES = [
  [500, 'Internal Server Error'],
  [502, 'Bad Gateway'],
  [503, 'Service Unavailable'],
  [504, 'Gateway Timeout'],
] as const;

describe('stand-in X API: 5xx before X acts', () => {
  it.each(STATUSES)('http-%i answers a problem and creates nothing', async (status, title) => {
    standIn.faults.add({ method: 'POST /2/tweets', kind: `http-${status}`, times: 1 });
    const error = await responseError(() => client.v2.tweet(`before ${status}`));
    expect(error.code).toBe(status);
    expect(error.data).toEqual({ title, detail: title, type: 'about:blank', status });
    expect(standIn.tweets()).toEqual([]);
  });
});

describe('stand-in X API: X acts, then the front end fails', () => {
  it.each(STATUSES)(
    'http-%i-after answers that problem, and the tweet WAS created, once',
    async (status, title) => {
      standIn.faults.add({ method: 'POST /2/tweets', kind: `http-${status}-after`, times: 1 });
      const error = await responseError(() => client.v2.tweet(`after ${status}`));
      expect(error.code).toBe(status);
      expect(error.data).toEqual({ title, detail: title, type: 'about:blank', status });
      expect(standIn.tweets()).toEqual([
        expect.objectContaining({ text: `after ${status}`, deleted: false }),
      ]);

      // The tweet is real: the timeline shows it and posting it again is refused as a duplicate.
      const timeline = await client.v2.userTimeline(standIn.tweets()[0]?.author_id ?? '', { max_results: 5 });
      expect(timeline.tweets.map((t) => t.text)).toEqual([`after ${status}`]);
      expect((await responseError(() => client.v2.tweet(`after ${status}`))).code).toBe(403);
    },
  );

  it('a reply hit by http-502-after still joins the thread', async () => {
    const root = await client.v2.tweet('Root of a thread');
    standIn.faults.add({ method: 'POST /2/tweets', kind: 'http-502-after', times: 1 });
    expect((await responseError(() => client.v2.reply('Second part', root.data.id))).code).toBe(502);
    expect(standIn.threads()).toEqual([
      expect.objectContaining({ replies: [expect.objectContaining({ text: 'Second part' })] }),
    ]);
  });

  it('an after-kind reports the fault in the request event with the status it answered', async () => {
    const seen: { status: number; fault?: string }[] = [];
    const off = standIn.onEvent((event) => {
      if (event.type === 'request')
        seen.push({ status: event.status, ...(event.fault ? { fault: event.fault } : {}) });
    });
    standIn.faults.add({ method: 'POST /2/tweets', kind: 'http-504-after', times: 1 });
    await caught(() => client.v2.tweet('Event check'));
    off();
    expect(seen).toEqual([{ status: 504, fault: 'http-504-after' }]);
  });

  it('lists every kind over HTTP and arms an after-kind through the fault route', async () => {
    const listed = (await (await fetch(`${standIn.apiRoot}/_standin/fault-kinds`)).json()) as {
      data: string[];
    };
    expect(listed.data).toEqual([...STAND_IN_FAULT_KINDS]);
    for (const kind of ['http-502-after', 'drop-after', 'timeout-after'] satisfies XStandInFaultKind[]) {
      expect(listed.data).toContain(kind);
    }
    const armed = await fetch(`${standIn.apiRoot}/_standin/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'POST /2/tweets', kind: 'http-503-after', times: 1 }),
    });
    expect(armed.status).toBe(201);
    expect((await responseError(() => client.v2.tweet('Armed over HTTP'))).code).toBe(503);
    expect(standIn.tweets().map((t) => t.text)).toEqual(['Armed over HTTP']);

    const refused = await fetch(`${standIn.apiRoot}/_standin/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'http-501-after' }),
    });
    expect(refused.status).toBe(400);
  });
});
