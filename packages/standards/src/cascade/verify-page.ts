/**
 * A reader's check of one signed feed page against the node key it pinned at registration:
 * the page signature, the schema and item rules, the cursor structure, and each record's digest,
 * owner signature and identity. Pure; never throws for any input.
 */
import { dssePae, type DsseEnvelope, type DsseSignature } from '../crypto/dsse.js';
import { sm2Verify } from '../crypto/sm2.js';
import type { CascadeFeedItem, CascadeFeedPage } from '../generated/types.js';
import { pointer, type Issue, type Lang } from '../issues.js';
import { cascadeIssue } from './errors.js';
import { FEED_PAGE_PAYLOAD_TYPE, feedPageIssues } from './feed-page.js';
import { CATALOG_RECORD_PAYLOAD_TYPE, recordDigest, type CatalogRecordPayload } from './record.js';
import { markVerified, type VerifiedFeedItem, type VerifiedFeedPage } from './verified.js';

export interface VerifyFeedPageOptions {
  /** The hub whose feed was read. */
  hub: string;
  /** Its node public key (hex), pinned when it was registered. */
  publicKey: string;
  /** The cursor seq the page was requested after; the page must start there. */
  after?: number;
  lang?: Lang;
}

export type FeedPageVerification =
  { ok: true; page: VerifiedFeedPage; issues: [] } | { ok: false; page: null; issues: Issue[] };

/** The JCS text of a DSSE payload when a signature verifies with the key; a failure otherwise. */
export function openSigned(
  envelope: unknown,
  payloadType: string,
  publicKey: string,
): { body: string } | 'shape' | 'signature' {
  const { payloadType: type, payload, signatures } = (envelope ?? {}) as Partial<DsseEnvelope>;
  if (type !== payloadType || typeof payload !== 'string' || !Array.isArray(signatures)) return 'shape';
  const body = Buffer.from(payload, 'base64').toString('utf8');
  const pae = dssePae(type, body);
  // At most 8 signatures are tried (the schema's bound): each SM2 verification costs ~10 ms.
  const valid = signatures
    .slice(0, 8)
    .some(
      (signature: Partial<DsseSignature> | null) =>
        typeof signature?.sig === 'string' && sm2Verify(pae, signature.sig, publicKey),
    );
  return valid ? { body } : 'signature';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecordPayload(value: unknown): value is CatalogRecordPayload {
  const record = value as Partial<CatalogRecordPayload> | undefined;
  return (
    typeof record?.origin === 'string' &&
    typeof record.object === 'string' &&
    typeof record.version === 'number' &&
    typeof record.resource === 'object' &&
    record.resource !== null
  );
}

/** The record of a Create or Update, checked against the item and the owner's key. */
function checkRecord(
  item: CascadeFeedItem,
  at: string,
  options: VerifyFeedPageOptions,
  lang: Lang,
): { record: CatalogRecordPayload } | Issue {
  const envelope = item.record as DsseEnvelope;
  const digest = recordDigest(envelope);
  if (item.digest !== digest) return cascadeIssue('FED-110', `${at}/digest`, { expected: digest }, lang);
  const opened = openSigned(envelope, CATALOG_RECORD_PAYLOAD_TYPE, options.publicKey);
  if (opened === 'shape') {
    return cascadeIssue(
      'FED-112',
      `${at}/record/payloadType`,
      { expected: CATALOG_RECORD_PAYLOAD_TYPE },
      lang,
    );
  }
  if (opened === 'signature') return cascadeIssue('FED-111', `${at}/record`, { hub: options.hub }, lang);
  const record = parseJson(opened.body);
  if (!isRecordPayload(record)) {
    return cascadeIssue('FED-112', `${at}/record/payload`, { expected: CATALOG_RECORD_PAYLOAD_TYPE }, lang);
  }
  const ownerHub = item.object.split(':')[3];
  const pairs: [string, unknown, unknown][] = [
    ['object', record.object, item.object],
    ['version', record.version, item.version],
    ['origin', record.origin, ownerHub],
  ];
  for (const [field, found, expected] of pairs) {
    if (found !== expected) {
      return cascadeIssue(
        'FED-113',
        `${at}/record/payload`,
        { field, found: String(found), expected: String(expected) },
        lang,
      );
    }
  }
  return { record };
}

function checkItems(page: CascadeFeedPage, options: VerifyFeedPageOptions, lang: Lang) {
  const issues: Issue[] = [];
  const items: VerifiedFeedItem[] = page.items.map((item, index) => {
    if (item.type === 'Delete') return item;
    const checked = checkRecord(item, pointer('items', index), options, lang);
    if ('code' in checked) {
      issues.push(checked);
      return item;
    }
    return { ...item, signedRecord: checked.record };
  });
  return { issues, items };
}

/** Verifies a signed feed page; on success the page is branded for the sync planner. */
export function verifyFeedPage(envelope: unknown, options: VerifyFeedPageOptions): FeedPageVerification {
  const lang = options.lang ?? 'zh-CN';
  const fail = (issues: Issue[]): FeedPageVerification => ({ ok: false, page: null, issues });
  const opened = openSigned(envelope, FEED_PAGE_PAYLOAD_TYPE, options.publicKey);
  if (opened === 'shape')
    return fail([cascadeIssue('FED-101', '', { expected: FEED_PAGE_PAYLOAD_TYPE }, lang)]);
  if (opened === 'signature') return fail([cascadeIssue('FED-102', '', { hub: options.hub }, lang)]);
  const document = parseJson(opened.body);
  if (document === undefined) return fail([cascadeIssue('FED-103', '', {}, lang)]);
  const issues = feedPageIssues(document, lang);
  if (issues.length > 0) return fail(issues);
  const page = document as CascadeFeedPage;
  const context: Issue[] = [];
  if (page.hub !== options.hub) {
    context.push(cascadeIssue('FED-104', '/hub', { found: page.hub, expected: options.hub }, lang));
  }
  if (options.after !== undefined && page.from !== options.after) {
    context.push(cascadeIssue('FED-105', '/from', { found: page.from, expected: options.after }, lang));
  }
  const checked = checkItems(page, options, lang);
  const all = [...context, ...checked.issues];
  if (all.length > 0) return fail(all);
  return { ok: true, page: markVerified(page, checked.items), issues: [] };
}
