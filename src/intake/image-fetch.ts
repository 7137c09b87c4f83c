import type { AddressGuard } from '../net/address-guard.js';
import { fetchBounded } from '../net/bounded-fetch.js';
import { FetchError } from '../net/fetch-error.js';
import type { Logger } from '../util/logger.js';

/** Image types both Telegram photos and X media accept. */
export type ImageType = 'image/jpeg' | 'image/png' | 'image/gif' | 'image/webp';

/** X's limit for images (and Telegram's for photos sent by URL): 5 MB. */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

/** The image type its first bytes declare (magic numbers), or undefined for anything else. Pure. */
export function sniffImageType(bytes: Uint8Array): ImageType | undefined {
  const b = (i: number) => bytes[i] ?? -1;
  if (b(0) === 0xff && b(1) === 0xd8 && b(2) === 0xff) return 'image/jpeg';
  if (b(0) === 0x89 && b(1) === 0x50 && b(2) === 0x4e && b(3) === 0x47) return 'image/png';
  if (b(0) === 0x47 && b(1) === 0x49 && b(2) === 0x46 && b(3) === 0x38) return 'image/gif';
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  return undefined;
}

/** An image fetched and checked: bytes and the type they really are. */
export interface FetchedImage {
  readonly bytes: Uint8Array;
  readonly mimeType: ImageType;
}

/** Bounds and seams of {@link fetchImage}. */
export interface ImageFetchOptions {
  /** Whole-request budget, in ms. Default 10 000. */
  readonly timeoutMs?: number;
  /** Largest image taken, in bytes. Default {@link MAX_IMAGE_BYTES}. */
  readonly maxBytes?: number;
  /** Redirect hops followed. Default 5. */
  readonly maxRedirects?: number;
  /** Cancels the request from outside (shutdown). */
  readonly signal?: AbortSignal;
  /** The fetch implementation; default the global fetch. */
  readonly fetchImpl?: typeof fetch;
  /** Checked before the request and every redirect hop. */
  readonly guard?: AddressGuard;
}

/**
 * Fetches an image for upload, bounded in time (default 10 s) and size (default 5 MB), and checks by its
 * bytes that it is JPEG, PNG, GIF or WebP. Throws {@link FetchError} (fetch problems) or
 * {@link ImageRefusedError} (not an accepted image).
 */
export async function fetchImage(url: string, options: ImageFetchOptions = {}): Promise<FetchedImage> {
  const result = await fetchBounded(url, {
    timeoutMs: options.timeoutMs ?? 10_000,
    maxBytes: options.maxBytes ?? MAX_IMAGE_BYTES,
    maxRedirects: options.maxRedirects ?? 5,
    accept: 'image/jpeg,image/png,image/gif,image/webp;q=0.9,*/*;q=0.1',
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.fetchImpl ? { fetchImpl: options.fetchImpl } : {}),
    ...(options.guard ? { guard: options.guard } : {}),
  });
  if (result.kind !== 'ok')
    throw new FetchError('http-status', url, `${url}: unexpected 304`, { status: 304 });
  const mimeType = sniffImageType(result.body);
  if (!mimeType) {
    throw new ImageRefusedError(
      url,
      `${url}: not a JPEG, PNG, GIF or WebP image (${result.contentType ?? 'no type'})`,
    );
  }
  return { bytes: new Uint8Array(result.body), mimeType };
}

/** The bytes fetched are not an image type regwire can post. */
export class ImageRefusedError extends Error {
  override readonly name = 'ImageRefusedError';
  readonly code = 'image-refused';
  constructor(
    readonly url: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The image options for `xPartSender` (jobs/part-sender.ts): fetch the story image bounded, and log
 * when it is left out. The first tweet then carries the image; any problem leaves the text alone.
 */
export function xImageAttachment(logger: Logger, options: Omit<ImageFetchOptions, 'signal'> = {}) {
  return {
    fetch: (url: string, signal?: AbortSignal) =>
      fetchImage(url, { ...options, ...(signal ? { signal } : {}) }),
    onSkipped: (info: { storyId: string; url: string; reason: string }) =>
      logger.warn(info, 'x: story image left out of the first tweet'),
  };
}
