import type { IncomingMessage } from 'node:http';
import { BotApiError, badRequest } from './bot-api-error.js';
import { parseMultipart, type UploadedFile } from './multipart.js';

/** Request parameters as the Bot API reads them: from the query string and from a JSON, urlencoded or multipart body. */
export type RequestParams = Readonly<Record<string, unknown>>;

const MAX_BODY_BYTES = 60 * 1024 * 1024;

/** Reads the whole request body, bounded (uploads to the real Bot API are capped at 50 MB). */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new BotApiError(413, 'Request Entity Too Large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** Merges query parameters with body parameters (the body wins), by content type. */
export function parseParams(url: URL, contentType: string | undefined, body: Buffer): RequestParams {
  const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
  const type = (contentType ?? '').toLowerCase();
  if (body.length === 0) return params;
  if (type.startsWith('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw badRequest("can't parse JSON object");
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw badRequest("can't parse JSON object");
    }
    return { ...params, ...(parsed as Record<string, unknown>) };
  }
  if (type.startsWith('application/x-www-form-urlencoded')) {
    return { ...params, ...Object.fromEntries(new URLSearchParams(body.toString('utf8'))) };
  }
  if (type.startsWith('multipart/form-data')) {
    return { ...params, ...parseMultipart(body, contentType ?? '') };
  }
  return params;
}

/** A parameter as a string; numbers are accepted (form bodies and JSON send either). */
export function stringParam(params: RequestParams, name: string): string | undefined {
  const value = params[name];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** A parameter as an integer, from a JSON number or a decimal string; `undefined` when absent or not an integer. */
export function intParam(params: RequestParams, name: string): number | undefined {
  const value = params[name];
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

/** A boolean parameter (`true`/`1` in form bodies). */
export function boolParam(params: RequestParams, name: string): boolean {
  const value = params[name];
  return value === true || value === 'true' || value === '1' || value === 1;
}

/**
 * A parameter holding a JSON object or array, given either as JSON (in a JSON body) or as a JSON string
 * (in a form body); `onError` is the Bot API's description when the string does not parse.
 */
export function jsonParam(params: RequestParams, name: string, onError: string): unknown {
  const value = params[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    throw badRequest(onError);
  }
}

/** An uploaded file parameter, when the request was multipart. */
export function fileParam(params: RequestParams, name: string): UploadedFile | undefined {
  const value = params[name];
  if (value && typeof value === 'object' && (value as { kind?: unknown }).kind === 'upload') {
    return value as UploadedFile;
  }
  return undefined;
}
