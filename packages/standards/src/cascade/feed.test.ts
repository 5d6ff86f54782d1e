import { describe, expect, it } from 'vitest';
import { CITY, CITY_KEY, citySigner, OTHER_KEY, PUBLISHED, resource, urn } from '../../test-utils/cascade.js';
import { dssePae, openDsse, signDsse, type DsseEnvelope } from '../crypto/dsse.js';
import { sm2Sign } from '../crypto/sm2.js';
import { sm3Digest } from '../crypto/sm3.js';
import type { CascadeFeedItem, CascadeFeedPage } from '../generated/types.js';
import { CascadeError } from './errors.js';
import { buildFeedItem, buildTombstone } from './feed-item.js';
import { buildFeedPage, FEED_PAGE_PAYLOAD_TYPE, parseFeedCursor, signFeedPage } from './feed-page.js';
import { planSync } from './plan.js';
import { CATALOG_RECORD_PAYLOAD_TYPE, parseDatasetUrn, signCatalogRecord } from './record.js';
import { verifyFeedPage } from './verify-page.js';

const published = (seq: number, n: number, version: number) =>
  buildFeedItem({ seq, origin: CITY, version, published: PUBLISHED, resource: resource(n) }, citySigner);

function page(items: CascadeFeedItem[], from: number, complete = true): CascadeFeedPage {
  const head = items.at(-1)?.seq ?? from;
  return buildFeedPage({ hub: CITY, mode: 'changes', from, items, complete, head, generatedAt: PUBLISHED });
}

/** Re-signs an edited page with the city key, as a faulty or dishonest city could. */
const resign = (document: unknown): DsseEnvelope => signDsse(citySigner, FEED_PAGE_PAYLOAD_TYPE, document);
const verify = (envelope: unknown, after?: number) =>
  verifyFeedPage(envelope, {
    hub: CITY,
    publicKey: CITY_KEY.publicKey,
    ...(after === undefined ? {} : { after }),
  });
const codes = (envelope: unknown, after?: number) =>
  verify(envelope, after).issues.map((issue) => `${issue.code} ${issue.location}`);

function thrownCodes(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof CascadeError) return error.issues.map((issue) => `${issue.code} ${issue.location}`);
    throw error;
  }
  return [];
}

describe('feed items', () => {
  it('carry the record signed by the owner hub, its SM3 digest and the URN of its code', () => {
    const create = published(1, 7, 1);
    const update = published(2, 7, 2);
    expect([create.type, update.type]).toEqual(['Create', 'Update']);
    expect(parseDatasetUrn(create.object)).toEqual({
      hub: CITY,
      uscc: '113501000038000115',
      code: '3350040001/000007',
    });
    expect(create.digest).toBe(sm3Digest(Buffer.from(create.record?.payload ?? '', 'base64')));
    const record = openDsse(create.record, CITY_KEY.publicKey, CATALOG_RECORD_PAYLOAD_TYPE);
    expect(record).toMatchObject({
      origin: CITY,
      object: create.object,
      version: 1,
      resource: { name: '最低生活保障对象信息' },
    });
  });

  it('make tombstones that keep the URN, version and reason, and refuse a broken one', () => {
    const input = { seq: 3, object: urn(7), version: 3, published: PUBLISHED, reason: 'WITHDRAWN' } as const;
    expect(buildTombstone(input)).toEqual({ ...input, type: 'Delete' });
    expect(thrownCodes(() => buildTombstone({ ...input, reason: 'MERGED' }))).toEqual(['FED-004 /successor']);
  });
});

describe('feed pages', () => {
  it('derive to and next from their items', () => {
    const open = page([published(11, 1, 1), published(12, 2, 1)], 10, false);
    expect(open).toMatchObject({ from: 10, to: 12, complete: false, next: 'c12' });
    expect(parseFeedCursor(open.next ?? '')).toEqual({ mode: 'changes', seq: 12 });
    expect(page([], 12)).toMatchObject({ to: 12, next: null });
  });

  it('refuse a gap in a change page, and a repeated object in a snapshot', () => {
    const items = [published(11, 1, 1), published(13, 2, 1)];
    expect(thrownCodes(() => page(items, 10))).toEqual(['FED-106 /items/1/seq']);
    const snapshot = {
      hub: CITY,
      mode: 'snapshot',
      from: 0,
      complete: true,
      head: 20,
      generatedAt: PUBLISHED,
    } as const;
    expect(buildFeedPage({ ...snapshot, items }).to).toBe(13);
    const twice = [published(11, 1, 1), published(13, 1, 2)];
    expect(thrownCodes(() => buildFeedPage({ ...snapshot, items: twice }))).toEqual([
      'FED-114 /items/1/object',
    ]);
  });
});

describe('verifyFeedPage', () => {
  const good = page(
    [
      published(11, 1, 1),
      published(12, 2, 3),
      buildTombstone({ seq: 13, object: urn(3), version: 2, published: PUBLISHED, reason: 'DELISTED' }),
    ],
    10,
  );
  const envelope = signFeedPage(good, citySigner);

  it('accepts a page signed by the pinned key and hands the planner its records', () => {
    const result = verify(envelope, 10);
    expect(result.ok).toBe(true);
    expect(result.page?.items[0]?.signedRecord?.resource.code).toBe('3350040001/000001');
    // And the province plans it: two creates and a tombstone of an object it never held
    const plan = planSync(CITY, [], result.page ? [result.page] : [], { cursor: 10 });
    expect(plan.operations.map((op) => op.kind)).toEqual(['create', 'create', 'tombstone']);
    expect(plan.cursor.next).toBe(13);
  });

  it('refuses what is not a page envelope, a foreign key, and an altered page', () => {
    expect(codes({ ...envelope, payloadType: 'application/json' })).toEqual(['FED-101 ']);
    expect(codes(null)).toEqual(['FED-101 ']);
    const foreign = signDsse(
      { keyId: `${CITY}#node-1`, privateKey: OTHER_KEY.privateKey },
      FEED_PAGE_PAYLOAD_TYPE,
      good,
    );
    expect(codes(foreign)).toEqual(['FED-102 ']);
    const altered = Buffer.from(JSON.stringify({ ...good, complete: false, next: 'c13' })).toString('base64');
    expect(codes({ ...envelope, payload: altered })).toEqual(['FED-102 ']);
    expect(codes(signDsse(citySigner, FEED_PAGE_PAYLOAD_TYPE, 'not a page'))).toEqual(['SCH-002 ']);
  });

  it('refuses a signed payload that is not JSON', () => {
    const body = 'not json';
    const sig = sm2Sign(dssePae(FEED_PAGE_PAYLOAD_TYPE, body), CITY_KEY.privateKey);
    const signed = {
      payloadType: FEED_PAGE_PAYLOAD_TYPE,
      payload: Buffer.from(body).toString('base64'),
      signatures: [{ keyid: citySigner.keyId, sig }],
    };
    expect(codes(signed)).toEqual(['FED-103 ']);
  });

  it('refuses a page of another hub, or from another cursor than asked', () => {
    expect(codes(resign({ ...good, hub: '350200' }))).toEqual(['FED-104 /hub']);
    expect(codes(envelope, 9)).toEqual(['FED-105 /from']);
  });

  it('checks the cursor structure a signer could still get wrong', () => {
    expect(codes(resign({ ...good, to: 14 }))).toEqual(['FED-107 /to', 'FED-109 /head']);
    expect(codes(resign({ ...good, next: 'c13' }))).toEqual(['FED-108 /next']);
    // A city restored from a backup answers from the province's cursor with a lower head
    expect(codes(resign({ ...page([], 13), head: 12 }), 13)).toEqual(['FED-109 /head']);
  });

  it("checks each record's digest, owner signature and identity", () => {
    const [first, second] = good.items as [CascadeFeedItem, CascadeFeedItem];
    const withItem = (item: CascadeFeedItem) => resign({ ...good, items: [item, ...good.items.slice(1)] });
    expect(codes(withItem({ ...first, digest: second.digest ?? '' }))).toEqual(['FED-110 /items/0/digest']);
    const foreignRecord = signCatalogRecord(
      { origin: CITY, version: 1, resource: resource(1) },
      { keyId: `${CITY}#node-1`, privateKey: OTHER_KEY.privateKey },
    );
    const foreignItem = {
      ...first,
      record: foreignRecord.envelope as CascadeFeedItem['record'],
      digest: foreignRecord.digest,
    };
    expect(codes(withItem(foreignItem))).toEqual(['FED-111 /items/0/record']);
    // The city signs a record that names province 350200 as its origin, in an item of its own URN
    const claimed = signDsse(citySigner, CATALOG_RECORD_PAYLOAD_TYPE, {
      origin: '350200',
      object: first.object,
      version: 1,
      resource: resource(1),
    });
    const claimedItem = {
      ...first,
      record: claimed as CascadeFeedItem['record'],
      digest: sm3Digest(Buffer.from(claimed.payload, 'base64')),
    };
    expect(verify(withItem(claimedItem)).issues).toEqual([
      expect.objectContaining({
        code: 'FED-113',
        location: '/items/0/record/payload',
        found: '350200',
        expected: CITY,
      }),
    ]);
    const wrongVersion = { ...first, type: 'Update', version: 5 } as const;
    expect(verify(withItem(wrongVersion)).issues).toEqual([
      expect.objectContaining({ code: 'FED-113', found: '1', expected: '5' }),
    ]);
  });

  it('reports schema faults with their location, in English when asked', () => {
    const bad = resign({
      ...good,
      items: [{ ...good.items[0], object: 'not a urn' }, ...good.items.slice(1)],
    });
    const result = verifyFeedPage(bad, { hub: CITY, publicKey: CITY_KEY.publicKey, lang: 'en' });
    expect(result.issues).toEqual([
      expect.objectContaining({ code: 'SCH-004', location: '/items/0/object' }),
    ]);
    const hubs = verifyFeedPage(resign({ ...good, hub: '350200' }), {
      hub: CITY,
      publicKey: CITY_KEY.publicKey,
      lang: 'en',
    });
    expect(hubs.issues[0]?.message).toBe('The feed page is from hub 350200, expected 350100');
    expect(hubs.issues[0]?.hint).toContain('registered hub');
  });
});
