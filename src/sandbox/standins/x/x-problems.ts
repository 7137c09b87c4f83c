/**
 * Response bodies the stand-in answers with, shaped like the real X API v2: RFC 7807-style problems for
 * request-level failures, the v1-style `errors` array for unknown routes.
 */

/** A response before it is written to the socket. */
export interface StandInReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const PROBLEM_TYPE = 'application/problem+json';

export const INVALID_REQUEST_TYPE = 'https://api.twitter.com/2/problems/invalid-request';
export const RESOURCE_NOT_FOUND_TYPE = 'https://api.twitter.com/2/problems/resource-not-found';

export function jsonReply(status: number, body: unknown): StandInReply {
  return { status, headers: { 'content-type': JSON_TYPE }, body };
}

/** `{ title, detail, type: 'about:blank', status }`, as X sends for 401, 403, 429 and 5xx. */
export function blankProblem(status: number, title: string, detail: string = title): StandInReply {
  return {
    status,
    headers: { 'content-type': PROBLEM_TYPE },
    body: { title, detail, type: 'about:blank', status },
  };
}

export const unauthorized = (): StandInReply => blankProblem(401, 'Unauthorized');
export const tooManyRequests = (): StandInReply => blankProblem(429, 'Too Many Requests');

/** X's 400 for schema/parameter violations; `parameters` names the offending request fields. */
export function invalidRequest(
  message: string,
  parameters: Record<string, readonly string[]> = {},
): StandInReply {
  return jsonReply(400, {
    errors: [{ parameters, message }],
    title: 'Invalid Request',
    detail: 'One or more parameters to your request was invalid.',
    type: INVALID_REQUEST_TYPE,
  });
}

/** X's 403 with a plain `detail`, e.g. duplicate content or a reply target that is gone. */
export function forbidden(detail: string): StandInReply {
  return {
    status: 403,
    headers: { 'content-type': JSON_TYPE },
    body: { detail, type: 'about:blank', title: 'Forbidden', status: 403 },
  };
}

/** The inline (HTTP 200) error X returns when a looked-up resource does not exist. */
export function notFoundError(resourceType: 'tweet' | 'user', id: string) {
  return {
    value: id,
    detail: `Could not find ${resourceType} with id: [${id}].`,
    title: 'Not Found Error',
    resource_type: resourceType,
    parameter: 'id',
    resource_id: id,
    type: RESOURCE_NOT_FOUND_TYPE,
  };
}

/** Unknown routes: X still answers these in the v1.1 error format. */
export function routeNotFound(): StandInReply {
  return jsonReply(404, { errors: [{ message: 'Sorry, that page does not exist', code: 34 }] });
}

export function withHeaders(reply: StandInReply, headers: Readonly<Record<string, string>>): StandInReply {
  return { ...reply, headers: { ...reply.headers, ...headers } };
}
