/**
 * Downloads the hub's audit export (`GET /api/v1/audit/export`, auditor token) to a file,
 * streamed, so `verifyAuditExportFile` / `minjiang audit verify` can check it offline.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { HubAPIError, HubConnectionError, redactHeaders } from '../client/errors.js';
import type { HubClient } from '../client/hub-client.js';
import type { FetchLike } from '../client/transport.js';

export interface AuditExportDownload {
  file: string;
  bytes: number;
  /** `sm3:<hex>` of the file, to quote when handing it over. */
  digest: string;
  /** The range the header names (`from`–`to`), and so the number of entries. */
  from: number;
  to: number;
  entries: number;
  hub: string;
}

/** Keeps the first line (the export header) while passing every byte on. */
function headerTap(hash: ReturnType<typeof createHash>) {
  const state = { head: '', done: false, bytes: 0 };
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, next) {
      hash.update(chunk);
      state.bytes += chunk.length;
      if (!state.done) {
        state.head += chunk.toString('utf8');
        const end = state.head.indexOf('\n');
        if (end >= 0) Object.assign(state, { head: state.head.slice(0, end), done: true });
      }
      next(null, chunk);
    },
  });
  return { tap, state };
}

async function fetchExport(client: HubClient, query: { from?: number; to?: number }): Promise<Response> {
  const { baseURL, token, fetch } = client.transport.options;
  const url = new URL('api/v1/audit/export', baseURL.endsWith('/') ? baseURL : `${baseURL}/`);
  if (query.from !== undefined) url.searchParams.set('from', String(query.from));
  if (query.to !== undefined) url.searchParams.set('to', String(query.to));
  const headers: Record<string, string> = { accept: 'application/x-ndjson' };
  if (token) headers.authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await (fetch as FetchLike)(url.toString(), { method: 'GET', headers });
  } catch (cause) {
    throw new HubConnectionError('HUB-UNREACHABLE', `无法连接枢纽 ${url.origin}`, {
      location: `GET ${url.toString()}`,
      hint: '检查 --hub 地址、网络和枢纽是否在运行。',
      cause,
    });
  }
  if (response.ok && response.body) return response;
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    // Not JSON: the error keeps the text.
  }
  const request = { method: 'GET', url: url.toString(), headers: redactHeaders(headers) };
  throw HubAPIError.generate(response.status, body, Object.fromEntries(response.headers.entries()), request);
}

function headerOf(line: string): { from?: number; to?: number; hub?: string } {
  try {
    return JSON.parse(line) as { from?: number; to?: number; hub?: string };
  } catch {
    // Not an export header: `audit verify` will say so when it reads the file.
    return {};
  }
}

/** Streams the export to `path` (a temporary file renamed into place) and reads its header. */
export async function downloadAuditExport(
  client: HubClient,
  path: string,
  query: { from?: number; to?: number } = {},
): Promise<AuditExportDownload> {
  const response = await fetchExport(client, query);
  await mkdir(dirname(path), { recursive: true });
  const part = `${path}.${randomBytes(4).toString('hex')}.part`;
  const hash = createHash('sm3');
  const { tap, state } = headerTap(hash);
  try {
    const source = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
    await pipeline(source, tap, createWriteStream(part));
    await rename(part, path);
  } catch (error) {
    await rm(part, { force: true });
    throw error;
  }
  const header = headerOf(state.head);
  const from = Number(header.from ?? 1);
  const to = Number(header.to ?? 0);
  return {
    file: path,
    bytes: state.bytes,
    digest: `sm3:${hash.digest('hex')}`,
    from,
    to,
    entries: Math.max(0, to - from + 1),
    hub: header.hub ?? '',
  };
}
