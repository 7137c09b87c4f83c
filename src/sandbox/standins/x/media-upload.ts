import { invalidRequest, jsonReply, type StandInReply } from './x-problems.js';
import type { XStandInAccount } from './x-standin-types.js';

/**
 * X's media limits for posts: images (JPEG, PNG, WebP) up to 5 MB, GIFs up to 15 MB. Video is not
 * modelled. https://docs.x.com/x-api/media/quickstart/media-upload-chunked
 */
export const MEDIA_LIMITS: Readonly<
  Record<string, { readonly maxBytes: number; readonly category: string }>
> = {
  'image/jpeg': { maxBytes: 5 * 1024 * 1024, category: 'tweet_image' },
  'image/png': { maxBytes: 5 * 1024 * 1024, category: 'tweet_image' },
  'image/webp': { maxBytes: 5 * 1024 * 1024, category: 'tweet_image' },
  'image/gif': { maxBytes: 15 * 1024 * 1024, category: 'tweet_gif' },
};

/** Media ids stay usable this long after finalize, as X reports in `expires_after_secs`. */
const EXPIRES_AFTER_SECS = 86_400;
const MAX_SEGMENTS = 1_000;

/** One upload as the stand-in tracks it. */
export interface StandInMedia {
  readonly id: string;
  readonly ownerId: string;
  readonly mediaType: string;
  readonly totalBytes: number;
  readonly segments: Map<number, Buffer>;
  finalized: boolean;
  readonly createdAtMs: number;
}

function sniff(bytes: Buffer): string | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.subarray(0, 4).toString('latin1') === '\x89PNG') return 'image/png';
  if (bytes.subarray(0, 4).toString('latin1') === 'GIF8') return 'image/gif';
  if (
    bytes.subarray(0, 4).toString('latin1') === 'RIFF' &&
    bytes.subarray(8, 12).toString('latin1') === 'WEBP'
  )
    return 'image/webp';
  return undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The chunked v2 media upload (`POST /2/media/upload/initialize`, `/:id/append`, `/:id/finalize`,
 * `GET /2/media/upload?command=STATUS`), as twitter-api-v2's `v2.uploadMedia` drives it. Enforces the type
 * and size limits, checks the bytes really are the declared type, and only lets the account that uploaded
 * a finalized, unexpired media id attach it to a post.
 */
export class MediaUploads {
  readonly #media = new Map<string, StandInMedia>();
  #lastId = 0n;

  constructor(private readonly now: () => number) {}

  initialize(account: XStandInAccount, contentType: string | undefined, rawBody: Buffer): StandInReply {
    const body = parseJsonOrForm(contentType, rawBody);
    if (!body) return invalidRequest('Request body is not valid JSON.');
    const mediaType = typeof body.media_type === 'string' ? body.media_type.toLowerCase() : undefined;
    const totalBytes = Number(body.total_bytes);
    const limits = mediaType ? MEDIA_LIMITS[mediaType] : undefined;
    if (!mediaType || !limits) {
      return invalidRequest(
        `media_type ${String(body.media_type)} is not supported; use image/jpeg, image/png, image/webp or image/gif`,
        {
          media_type: [String(body.media_type)],
        },
      );
    }
    if (!Number.isInteger(totalBytes) || totalBytes <= 0) {
      return invalidRequest('total_bytes must be a positive integer', {
        total_bytes: [String(body.total_bytes)],
      });
    }
    if (totalBytes > limits.maxBytes) {
      return invalidRequest(`File size exceeds ${limits.maxBytes} bytes.`, {
        total_bytes: [String(totalBytes)],
      });
    }
    const id = this.#nextId();
    this.#media.set(id, {
      id,
      ownerId: account.userId,
      mediaType,
      totalBytes,
      segments: new Map(),
      finalized: false,
      createdAtMs: this.now(),
    });
    return jsonReply(200, { data: { id, media_key: `3_${id}`, expires_after_secs: EXPIRES_AFTER_SECS } });
  }

  append(
    account: XStandInAccount,
    id: string,
    contentType: string | undefined,
    rawBody: Buffer,
  ): StandInReply {
    const media = this.#owned(account, id);
    if (!media || media.finalized) return invalidRequest('Invalid media_id', { id: [id] });
    if (!contentType?.toLowerCase().startsWith('multipart/form-data')) {
      return invalidRequest('append takes multipart/form-data with segment_index and media');
    }
    const parts = binaryParts(rawBody, contentType);
    if (!parts) return invalidRequest('multipart body could not be read');
    const segmentField = parts.get('segment_index')?.toString('utf8');
    const segment = Number(segmentField ?? Number.NaN);
    // `media` is raw bytes; `media_data` (v1 style) is base64.
    const base64 = parts.get('media_data')?.toString('utf8');
    const data = parts.get('media') ?? (base64 === undefined ? undefined : Buffer.from(base64, 'base64'));
    if (!Number.isInteger(segment) || segment < 0 || segment >= MAX_SEGMENTS) {
      return invalidRequest('segment_index must be an integer 0-999', {
        segment_index: [String(segmentField)],
      });
    }
    if (!data || data.length === 0) return invalidRequest('media is missing', { media: [] });
    media.segments.set(segment, data);
    const received = [...media.segments.values()].reduce((n, b) => n + b.length, 0);
    if (received > media.totalBytes) {
      this.#media.delete(id);
      return invalidRequest('Segments exceed total_bytes declared at initialize.', { id: [id] });
    }
    return { status: 204, headers: {}, body: undefined };
  }

  finalize(account: XStandInAccount, id: string): StandInReply {
    const media = this.#owned(account, id);
    if (!media) return invalidRequest('Invalid media_id', { id: [id] });
    const ordered = [...media.segments.entries()].sort(([a], [b]) => a - b).map(([, b]) => b);
    const bytes = Buffer.concat(ordered);
    if (bytes.length !== media.totalBytes) {
      return invalidRequest(`File size ${bytes.length} does not match total_bytes ${media.totalBytes}.`, {
        id: [id],
      });
    }
    const actual = sniff(bytes);
    if (actual !== media.mediaType) {
      this.#media.delete(id);
      return invalidRequest(`media type unrecognized: the file is not ${media.mediaType}`, { id: [id] });
    }
    media.finalized = true;
    return jsonReply(200, {
      data: {
        id,
        media_key: `3_${id}`,
        size: bytes.length,
        expires_after_secs: EXPIRES_AFTER_SECS,
        image: { image_type: media.mediaType },
      },
    });
  }

  status(account: XStandInAccount, query: URLSearchParams): StandInReply {
    const id = query.get('media_id') ?? '';
    const media = this.#owned(account, id);
    if (!media) return invalidRequest('Invalid media_id', { media_id: [id] });
    return jsonReply(200, {
      data: {
        id,
        media_key: `3_${id}`,
        processing_info: {
          state: media.finalized ? 'succeeded' : 'pending',
          progress_percent: media.finalized ? 100 : 0,
        },
      },
    });
  }

  /** Why `ids` cannot be attached by `account` (unknown, someone else's, not finalized, expired), or undefined. */
  refuseAttachment(account: XStandInAccount, ids: readonly string[]): string | undefined {
    for (const id of ids) {
      const media = this.#owned(account, id);
      if (!media?.finalized) return id;
    }
    return undefined;
  }

  /** The bytes of a finalized upload (inspection). */
  bytes(id: string): Buffer | undefined {
    const media = this.#media.get(id);
    if (!media?.finalized) return undefined;
    return Buffer.concat([...media.segments.entries()].sort(([a], [b]) => a - b).map(([, b]) => b));
  }

  /** Every upload, finalized or not (inspection). */
  all(): readonly {
    id: string;
    ownerId: string;
    mediaType: string;
    totalBytes: number;
    finalized: boolean;
  }[] {
    return [...this.#media.values()].map(({ id, ownerId, mediaType, totalBytes, finalized }) => ({
      id,
      ownerId,
      mediaType,
      totalBytes,
      finalized,
    }));
  }

  reset(): void {
    this.#media.clear();
  }

  #owned(account: XStandInAccount, id: string): StandInMedia | undefined {
    const media = this.#media.get(id);
    if (!media || media.ownerId !== account.userId) return undefined;
    if (this.now() - media.createdAtMs > EXPIRES_AFTER_SECS * 1000) return undefined;
    return media;
  }

  #nextId(): string {
    // Snowflake-looking ids, always increasing, distinct from tweet ids by a fixed offset.
    const candidate = BigInt(Math.max(0, Math.floor(this.now()))) * 4_194_304n + 7n;
    this.#lastId = candidate > this.#lastId ? candidate : this.#lastId + 1n;
    return this.#lastId.toString();
  }
}

/** multipart/form-data fields as raw bytes (binary-safe: a file part is never decoded as text). */
function binaryParts(body: Buffer, contentType: string): Map<string, Buffer> | undefined {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const value = boundary?.[1] ?? boundary?.[2];
  if (!value) return undefined;
  const delimiter = Buffer.from(`--${value.trim()}`);
  const parts = new Map<string, Buffer>();
  let cursor = body.indexOf(delimiter);
  while (cursor !== -1) {
    const start = cursor + delimiter.length;
    if (body[start] === 0x2d && body[start + 1] === 0x2d) break;
    const next = body.indexOf(delimiter, start);
    if (next === -1) break;
    const part = body.subarray(start, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const name = /name="([^"]*)"/i.exec(part.subarray(0, headerEnd).toString('utf8'))?.[1];
      let content = part.subarray(headerEnd + 4);
      if (content.subarray(-2).toString('latin1') === '\r\n') content = content.subarray(0, -2);
      if (name !== undefined) parts.set(name, Buffer.from(content));
    }
    cursor = next;
  }
  return parts;
}

function parseJsonOrForm(contentType: string | undefined, body: Buffer): Record<string, unknown> | undefined {
  const type = contentType?.toLowerCase() ?? '';
  if (type.startsWith('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(body.toString('utf8')));
  }
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
