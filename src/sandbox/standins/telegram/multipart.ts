/** A file part of a multipart/form-data request. */
export interface UploadedFile {
  readonly kind: 'upload';
  readonly filename: string;
  readonly contentType: string | undefined;
  readonly data: Buffer;
}

/**
 * Parses a multipart/form-data body into fields (strings) and files.
 * Enough for what Bot API clients send (telegraf's multipart stream included); not a general parser.
 */
export function parseMultipart(body: Buffer, contentType: string): Record<string, string | UploadedFile> {
  const boundaryMatch = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const boundary = boundaryMatch?.[1] ?? boundaryMatch?.[2];
  if (!boundary) throw new Error('multipart body without boundary');
  const delimiter = Buffer.from(`--${boundary}`);
  const result: Record<string, string | UploadedFile> = {};
  let cursor = body.indexOf(delimiter);
  while (cursor !== -1) {
    const partStart = cursor + delimiter.length;
    // "--" right after a delimiter closes the body.
    if (body[partStart] === 0x2d && body[partStart + 1] === 0x2d) break;
    const next = body.indexOf(delimiter, partStart);
    if (next === -1) break;
    const part = body.subarray(partStart, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      // The part body ends with the CRLF that precedes the next delimiter.
      let content = part.subarray(headerEnd + 4);
      if (content.subarray(-2).toString() === '\r\n') content = content.subarray(0, -2);
      const name = /name="([^"]*)"/i.exec(headers)?.[1];
      const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
      const type = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1];
      if (name !== undefined) {
        result[name] =
          filename === undefined
            ? content.toString('utf8')
            : { kind: 'upload', filename, contentType: type, data: Buffer.from(content) };
      }
    }
    cursor = next;
  }
  return result;
}
