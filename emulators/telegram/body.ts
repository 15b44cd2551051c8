// Request parameters the way the Bot API accepts them: query string, application/json,
// application/x-www-form-urlencoded or multipart/form-data (files referenced directly or via attach://name).
import type { IncomingMessage } from 'node:http';

import { badRequest, TgApiError } from './errors';
import type { Params } from './types';

export interface UploadedFile {
  filename?: string;
  contentType?: string;
  data: Buffer;
}

export interface ParsedRequest {
  params: Params;
  files: Map<string, UploadedFile>;
}

const MAX_BODY = 60 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += buf.length;
    if (size > MAX_BODY) throw new TgApiError(413, 'Request Entity Too Large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

export async function parseRequest(req: IncomingMessage, url: URL): Promise<ParsedRequest> {
  const params: Params = Object.fromEntries(url.searchParams);
  const files = new Map<string, UploadedFile>();
  const body = await readBody(req);
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (body.length === 0) return { params, files };
  if (type.startsWith('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw badRequest("can't parse JSON object");
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw badRequest("can't parse JSON object");
    }
    Object.assign(params, parsed);
  } else if (type.startsWith('multipart/form-data')) {
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(req.headers['content-type'] ?? '');
    if (!boundary) throw badRequest('multipart boundary is missing');
    parseMultipart(body, boundary[1] ?? boundary[2], params, files);
  } else {
    Object.assign(params, Object.fromEntries(new URLSearchParams(body.toString('utf8'))));
  }
  return { params, files };
}

function parseMultipart(
  body: Buffer,
  boundary: string,
  params: Params,
  files: Map<string, UploadedFile>,
): void {
  const delimiter = Buffer.from(`--${boundary}`);
  let pos = body.indexOf(delimiter);
  while (pos !== -1) {
    let start = pos + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    if (body.subarray(start, start + 2).toString() === '\r\n') start += 2;
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), start);
    if (next === -1) break;
    const part = body.subarray(start, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      const data = part.subarray(headerEnd + 4);
      const name = /name="([^"]*)"|name=([^;\r\n]*)/i.exec(headers);
      const filename = /filename="([^"]*)"|filename=([^;\r\n]*)/i.exec(headers);
      const contentType = /content-type:\s*([^\r\n]+)/i.exec(headers);
      const key = name ? (name[1] ?? name[2]).trim() : '';
      if (filename) {
        files.set(key, {
          filename: (filename[1] ?? filename[2]).trim(),
          contentType: contentType?.[1].trim(),
          data: Buffer.from(data),
        });
      } else if (key) params[key] = data.toString('utf8');
    }
    pos = next + 2;
  }
}

// --- typed accessors (values from forms arrive as strings, from JSON as their own types)

export function optString(params: Params, key: string): string | undefined {
  const v = params[key];
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' ? v : String(v);
}

export function optNumber(params: Params, key: string): number | undefined {
  const v = params[key];
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n)) throw badRequest(`invalid ${key} specified`);
  return n;
}

export function optBool(params: Params, key: string): boolean | undefined {
  const v = params[key];
  if (v === undefined || v === null) return undefined;
  return v === true || v === 'true' || v === 1 || v === '1';
}

/** A JSON-serialised parameter: an object in JSON bodies, a JSON string in forms. */
export function optJson<T>(params: Params, key: string): T | undefined {
  const v = params[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') return v as T;
  try {
    return JSON.parse(v) as T;
  } catch {
    throw badRequest(`can't parse ${key} JSON object`);
  }
}
