import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPackage, generateSm2KeyPair, requestTarget, sm2Sign, verifyRequest } from '@minjiang/standards';
import { afterAll, describe, expect, it } from 'vitest';
import { HubConnectionError } from '../client/errors.js';
import { ExchangeClient, type ExchangeClientOptions } from './client.js';
import { ExchangeAuthenticationError, ExchangeLimitError, ExchangePermissionError } from './errors.js';

const NOW = new Date('2025-10-10T02:00:00Z');
const SERVICE = '350000/GOV/11350000FJ0000017T/data/3350010001-000001/v1';
const OPTIONS: ExchangeClientOptions = {
  baseURL: 'http://hub.test',
  client: '350100/GOV/11350100FJ01000501',
  grant: 'urn:ses:grant:350000:2025:3',
  purpose: '0101',
  appKey: 'ak_test',
  secret: 'sk_test',
  service: SERVICE,
  now: () => NOW,
};

interface Seen {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
  verified: boolean;
}

type Answer = { status?: number; json?: unknown; bytes?: Uint8Array; headers?: Record<string, string> };

/** A hub double: checks each request's signature as the hub would, then answers in turn. */
function fakeHub(answers: Answer[]) {
  const seen: Seen[] = [];
  const fetch = async (input: string, init: RequestInit) => {
    const url = new URL(input);
    const headers = init.headers as Record<string, string>;
    const body = typeof init.body === 'string' ? init.body : undefined;
    const { path, query } = requestTarget(`${url.pathname}${url.search}`);
    const verdict = verifyRequest(
      { method: init.method!, path, query, headers, ...(body ? { body } : {}) },
      () => ({ alg: 'hmac-sm3', secret: OPTIONS.secret ?? '' }),
      { now: NOW },
    );
    seen.push({ method: init.method!, url, headers, ...(body ? { body } : {}), verified: verdict.ok });
    const answer = answers[Math.min(seen.length - 1, answers.length - 1)]!;
    const payload = answer.bytes ?? JSON.stringify(answer.json ?? {});
    return new Response(payload, { status: answer.status ?? 200, headers: answer.headers ?? {} });
  };
  return { fetch, seen };
}

const page = (rows: Record<string, string>[], next?: string): Answer => ({
  json: {
    code: '0',
    msg: '成功',
    requestId: 'r',
    data: { rows },
    page: { ...(next ? { next } : {}), size: rows.length },
    meta: { grant: OPTIONS.grant, fields: ['XM'], masking: 'MP-STD-01', records: rows.length },
  },
  headers: { 'ses-masking': 'MP-STD-01', ratelimit: '"day";r=38', 'ratelimit-policy': '"day";q=40;w=86400' },
});

const refusal = (status: number, code: string, headers: Record<string, string> = {}): Answer => ({
  status,
  json: { code, msg: `refused: ${code}`, requestId: 'rq', data: null, origin: 'hub' },
  headers: { 'ses-error': code, 'ses-request-id': 'rq', ...headers },
});

describe('ExchangeClient.query', () => {
  it('signs the call, sends conditions, fields, limit and cursor, and reads the page', async () => {
    const hub = fakeHub([page([{ XM: '张*' }], 'c2')]);
    const client = new ExchangeClient({ ...OPTIONS, fetch: hub.fetch, lang: 'en' });
    const result = await client.query({
      conditions: { HJDXZQH: '350102' },
      fields: ['XM'],
      limit: 10,
      cursor: 'c1',
    });
    expect(result).toMatchObject({ rows: [{ XM: '张*' }], next: 'c2', size: 1, masking: 'MP-STD-01' });
    expect(result.rateLimit).toEqual({ policy: '"day";q=40;w=86400', remaining: 38 });
    const [call] = hub.seen;
    expect(call).toMatchObject({ method: 'GET', verified: true });
    expect(call!.url.pathname).toBe(`/ses/r1/${SERVICE}/rows`);
    expect(Object.fromEntries(call!.url.searchParams)).toEqual({
      HJDXZQH: '350102',
      fields: 'XM',
      limit: '10',
      cursor: 'c1',
    });
    expect(call!.headers['accept-language']).toBe('en');
  });

  it('iterates every row across cursor pages', async () => {
    const hub = fakeHub([page([{ XM: 'a' }, { XM: 'b' }], 'n1'), page([{ XM: 'c' }])]);
    const client = new ExchangeClient({ ...OPTIONS, fetch: hub.fetch });
    const rows = [];
    for await (const row of client.rows({ limit: 2 })) rows.push(row.XM);
    expect(rows).toEqual(['a', 'b', 'c']);
    expect(hub.seen[1]!.url.searchParams.get('cursor')).toBe('n1');
    expect(new Set(hub.seen.map((s) => s.headers['ses-request-id'])).size).toBe(2);
  });
});

describe('ExchangeClient refusals', () => {
  it('throws the typed error with the SES code, status and request id; never retries 401 or 403', async () => {
    const forbidden = fakeHub([refusal(403, 'HUB.FIELD_NOT_GRANTED')]);
    const client = new ExchangeClient({ ...OPTIONS, fetch: forbidden.fetch, retry429: 3 });
    const error = await client.query({ fields: ['CYM'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExchangePermissionError);
    expect(error).toMatchObject({
      code: 'HUB.FIELD_NOT_GRANTED',
      status: 403,
      requestId: 'rq',
      origin: 'hub',
    });
    expect((error as Error).message).not.toContain('sk_test');
    expect(forbidden.seen).toHaveLength(1);
    const unauthorised = fakeHub([refusal(401, 'CLI.SIG_INVALID')]);
    const other = new ExchangeClient({ ...OPTIONS, fetch: unauthorised.fetch, retry429: 3 });
    await expect(other.query()).rejects.toBeInstanceOf(ExchangeAuthenticationError);
    expect(unauthorised.seen).toHaveLength(1);
  });

  it('waits out a 429 only when asked, re-signing each try; otherwise throws it with Retry-After', async () => {
    const limited = refusal(429, 'HUB.RATE_LIMITED', { 'retry-after': '2' });
    const once = fakeHub([limited]);
    const plain = new ExchangeClient({ ...OPTIONS, fetch: once.fetch });
    await expect(plain.query()).rejects.toMatchObject({ code: 'HUB.RATE_LIMITED', retryAfter: 2 });
    expect(await plain.query().catch((e: unknown) => e)).toBeInstanceOf(ExchangeLimitError);

    const waits: number[] = [];
    const twice = fakeHub([limited, page([{ XM: 'x' }])]);
    const patient = new ExchangeClient({
      ...OPTIONS,
      fetch: twice.fetch,
      retry429: true,
      sleep: async (ms) => void waits.push(ms),
    });
    await expect(patient.query()).resolves.toMatchObject({ rows: [{ XM: 'x' }] });
    expect(waits).toEqual([2000]);
    expect(twice.seen[0]!.headers['signature-input']).not.toBe(twice.seen[1]!.headers['signature-input']);
  });

  it('does not wait longer than maxRetryWait (a used-up daily quota)', async () => {
    const hub = fakeHub([refusal(429, 'HUB.QUOTA_EXCEEDED', { 'retry-after': '50000' })]);
    const client = new ExchangeClient({ ...OPTIONS, fetch: hub.fetch, retry429: 5, sleep: async () => {} });
    await expect(client.query()).rejects.toMatchObject({ code: 'HUB.QUOTA_EXCEEDED', retryAfter: 50000 });
    expect(hub.seen).toHaveLength(1);
  });

  it('reports an unreachable hub without the query (its values may be personal data)', async () => {
    const client = new ExchangeClient({
      ...OPTIONS,
      fetch: async () => {
        throw new TypeError('fetch failed');
      },
    });
    const error = await client
      .query({ conditions: { GMSFHM: '350102199001011234' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubConnectionError);
    expect((error as HubConnectionError).location).not.toContain('350102199001011234');
  });
});

describe('ExchangeClient.verify', () => {
  it('sends subjects in signed batches of 100 and joins the verdicts', async () => {
    const answer = (n: number): Answer => ({
      json: {
        code: '0',
        requestId: `v${n}`,
        data: { results: [{ ref: String(n), verdict: 'MATCH', fields: { XM: 'MATCH' } }] },
      },
    });
    const hub = fakeHub([answer(1), answer(2)]);
    const client = new ExchangeClient({ ...OPTIONS, fetch: hub.fetch });
    const subjects = Array.from({ length: 150 }, (_, i) => ({ ref: String(i), GMSFHM: `k${i}`, XM: 'x' }));
    const result = await client.verify(subjects);
    expect(result.requestIds).toEqual(['v1', 'v2']);
    expect(result.results.map((r) => r.ref)).toEqual(['1', '2']);
    expect(hub.seen.map((s) => (JSON.parse(s.body!) as { subjects: unknown[] }).subjects.length)).toEqual([
      100, 50,
    ]);
    expect(hub.seen.every((s) => s.verified && s.url.pathname.endsWith('/verify'))).toBe(true);
  });
});

describe('ExchangeClient packages', () => {
  const dir = mkdtempSync(join(tmpdir(), 'minjiang-exchange-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const KEY = generateSm2KeyPair();
  const ID = 'urn:ses:pkg:350000:2025:7';

  async function zip() {
    const built = await buildPackage({
      id: ID,
      grant: OPTIONS.grant,
      recipient: OPTIONS.client,
      dataset: 'urn:ses:ds:350000:11350000FJ0000017T:3350010001/000001',
      masking: 'MP-STD-01',
      sourceOrganisation: '福建省公安厅',
      created: NOW,
      expires: '2025-10-17T02:00:00Z',
      table: { name: 'rows', fields: [{ name: 'XM', type: 'string' }] },
      rows: [['张*'], ['李*']],
      signers: [{ keyId: 'hub#1', sign: (text) => sm2Sign(text, KEY.privateKey) }],
    });
    return built;
  }

  it('builds, downloads to a file, verifies it with the given key, and sends the receipt', async () => {
    const built = await zip();
    const signature = Buffer.from(JSON.stringify(built.signature)).toString('base64');
    const hub = fakeHub([
      {
        status: 201,
        json: {
          code: '0',
          requestId: 'b',
          data: {
            id: ID,
            digest: built.digest,
            bytes: built.bytes,
            rows: 2,
            expiresAt: '2025-10-17T02:00:00Z',
            download: `/ses/r1/packages/${ID}`,
          },
        },
      },
      {
        bytes: built.zip,
        headers: { 'content-type': 'application/zip', 'ses-package-signature': signature },
      },
      { json: { code: '0', requestId: 'c', data: { id: ID, status: 'completed' } } },
    ]);
    const client = new ExchangeClient({ ...OPTIONS, fetch: hub.fetch });
    const made = await client.buildPackage();
    expect(made).toMatchObject({ id: ID, digest: built.digest, rows: 2 });
    const file = join(dir, 'p.ses.zip');
    const got = await client.downloadPackage(made.id, file, { publicKeys: [KEY.publicKey] });
    expect(got).toMatchObject({ id: ID, file, bytes: built.bytes, digest: built.digest });
    expect(got.verification).toMatchObject({ ok: true, rows: 2, failures: [] });
    expect(got.signature).toEqual(built.signature);
    expect(readFileSync(file)).toEqual(Buffer.from(built.zip));
    await expect(client.sendReceipt(ID, got.digest)).resolves.toEqual({ id: ID, status: 'completed' });
    expect(hub.seen.map((s) => `${s.method} ${s.url.pathname}`)).toEqual([
      'POST /ses/r1/packages',
      `GET /ses/r1/packages/${ID}`,
      `POST /ses/r1/packages/${ID}/receipt`,
    ]);
    expect(hub.seen.every((s) => s.verified)).toBe(true);
    expect(JSON.parse(hub.seen[2]!.body!)).toEqual({ digest: built.digest });
  });

  it('reports a package that fails verification, and refuses to verify with no key at all', async () => {
    const built = await zip();
    const bytes = Buffer.from(built.zip);
    const at = bytes.length - 200;
    bytes[at] = (bytes[at] ?? 0) ^ 0xff;
    const client = new ExchangeClient({ ...OPTIONS, fetch: fakeHub([{ bytes }]).fetch });
    const got = await client.downloadPackage(ID, join(dir, 'bad.ses.zip'), { publicKeys: [KEY.publicKey] });
    expect(got.verification.ok).toBe(false);
    const other = new ExchangeClient({ ...OPTIONS, fetch: fakeHub([{ bytes }]).fetch });
    await expect(
      other.downloadPackage(ID, join(dir, 'none.ses.zip'), { stateDir: dir }),
    ).rejects.toMatchObject({
      code: 'PACKAGE-NO-KEY',
    });
  });
});
