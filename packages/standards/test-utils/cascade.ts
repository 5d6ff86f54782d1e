/**
 * Test helpers for the cascade: a city node key, catalog resources, and synthetic feeds. The
 * planner's property tests use unsigned items marked verified directly (an SM2 verification
 * costs ~10 ms; the signatures have their own tests), so thousands of plans stay fast.
 */
import { readFileSync } from 'node:fs';
import { generateSm2KeyPair } from '../src/crypto/sm2.js';
import { sm3Digest } from '../src/crypto/sm3.js';
import { buildFeedPage, type FeedMode } from '../src/cascade/feed-page.js';
import { CATALOG_RECORD_PAYLOAD_TYPE, datasetUrn } from '../src/cascade/record.js';
import { markVerified, type VerifiedFeedPage } from '../src/cascade/verified.js';
import type { CascadeFeedItem, CatalogResource } from '../src/generated/types.js';

export const CITY = '350100';
export const PROVINCE = '350000';
export const USCC = '113501000038000115';
export const CITY_KEY = generateSm2KeyPair();
export const OTHER_KEY = generateSm2KeyPair();
export const citySigner = { keyId: `${CITY}#node-1`, privateKey: CITY_KEY.privateKey };
export const PUBLISHED = '2026-01-01T09:00:00+08:00';

const minimal = JSON.parse(
  readFileSync(new URL('../../../fixtures/catalog-resource/valid/minimal.json', import.meta.url), 'utf8'),
) as CatalogResource;

/** A valid catalog resource with the given sequence code, provided by USCC. */
export function resource(n: number, name = '最低生活保障对象信息'): CatalogResource {
  return {
    ...minimal,
    code: `3350040001/${String(n).padStart(6, '0')}`,
    name,
    provider: { name: '福州市民政局', uscc: USCC },
  };
}

/** The URN of resource n at a hub. */
export function urn(n: number, hub = CITY): string {
  return datasetUrn({ hub, uscc: USCC, code: `3350040001/${String(n).padStart(6, '0')}` });
}

/** The digest a synthetic record of an object's version has (content = object + version + variant). */
export function fakeDigest(object: string, version: number, variant = ''): string {
  return sm3Digest(`${object}@${version}${variant}`);
}

/** A synthetic item: a Create/Update with an unsigned record, or a Delete tombstone. */
export function fakeItem(
  seq: number,
  object: string,
  version: number,
  type: CascadeFeedItem['type'] = version === 1 ? 'Create' : 'Update',
  variant = '',
): CascadeFeedItem {
  const base = { seq, type, object, version, published: PUBLISHED };
  if (type === 'Delete') return { ...base, reason: 'WITHDRAWN' };
  const record = {
    payloadType: CATALOG_RECORD_PAYLOAD_TYPE,
    payload: Buffer.from('{}').toString('base64'),
    signatures: [{ keyid: `${CITY}#node-1`, sig: '00' }] as [{ keyid: string; sig: string }],
  };
  return { ...base, digest: fakeDigest(object, version, variant), record };
}

/** A page of synthetic items, built by the real builder and marked verified. */
export function fakePage(
  items: CascadeFeedItem[],
  options: { from: number; complete: boolean; mode?: FeedMode; hub?: string; head?: number },
): VerifiedFeedPage {
  const to = items.at(-1)?.seq ?? options.from;
  const page = buildFeedPage({
    hub: options.hub ?? CITY,
    mode: options.mode ?? 'changes',
    from: options.from,
    items,
    complete: options.complete,
    head: options.head ?? to,
    generatedAt: PUBLISHED,
  });
  return markVerified(page, page.items);
}

/** Cuts a feed (items in seq order) into pages at the given sizes; the last page is complete. */
export function paginate(
  items: CascadeFeedItem[],
  sizes: number[],
  options: { from: number; mode?: FeedMode; complete?: boolean },
): VerifiedFeedPage[] {
  const pages: VerifiedFeedPage[] = [];
  let from = options.from;
  let rest = items;
  let index = 0;
  do {
    const size = Math.max(1, sizes[index % Math.max(1, sizes.length)] ?? 1);
    const chunk = rest.slice(0, size);
    rest = rest.slice(size);
    const last = rest.length === 0;
    pages.push(fakePage(chunk, { from, mode: options.mode, complete: last && (options.complete ?? true) }));
    from = chunk.at(-1)?.seq ?? from;
    index += 1;
  } while (rest.length > 0);
  return pages;
}
