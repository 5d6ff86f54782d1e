/**
 * Return flow 回流 (docs/cascade-return.md): the province serves a city the rows of a
 * subscription — a provincial resource filtered to the city's region, projected and masked — as
 * signed row pages on a cursor, and both sides compute the same `stateDigest` of the whole copy,
 * so the city can prove its copy complete. Signed as a whole with the province's node key, like
 * feed pages.
 */
import { createHash } from 'node:crypto';
import { EMPTY_MERKLE_RANGE, merkleAppend, merkleLeafHash, merkleRoot } from '../crypto/audit-chain.js';
import { canonicalJson } from '../crypto/canonical-json.js';
import { signDsse, type DsseEnvelope } from '../crypto/dsse.js';
import type { CascadeRowPage } from '../generated/types.js';
import type { Issue, Lang } from '../issues.js';
import type { MessageParams } from '../messages/message.js';
import { validateDocument } from '../validate.js';
import { CascadeError, catalogueIssue } from './errors.js';
import type { NodeSigner } from './record.js';
import { returnMessages, type ReturnMessageCode } from './row-page-messages.js';

export const ROW_PAGE_PAYLOAD_TYPE = 'application/vnd.ses.row-page+json;v=1';

/** Rows a page holds at most (the serving hub's bound, checked by the reader too). */
export const MAX_ROW_PAGE_ITEMS = 1000;

/**
 * A row page (schema cascade/row-page-1.0): the latest change of each row key after `from`, with
 * the live-row count and stateDigest at `head`; `next` is `to` as text, null when complete.
 */
export type RowPage = CascadeRowPage;

/** One change: `key` is the subscription's key of the row (a keyed SM3, no personal data). */
export type RowPageItem = RowPage['items'][number];

export type RowChange = RowPageItem['change'];

/** A projected, masked row: technical field name → value (null where masking dropped it). */
export type ReturnRow = NonNullable<RowPageItem['row']>;

/** One return-flow finding rendered in a language. */
export function returnIssue(
  code: ReturnMessageCode,
  location: string,
  params: MessageParams,
  lang: Lang,
): Issue {
  return catalogueIssue(returnMessages, code, location, params, lang);
}

/** The digest of a projected, masked row: `sm3:` + SM3 of its JCS bytes. */
export function rowDigest(row: ReturnRow): string {
  return `sm3:${createHash('sm3').update(canonicalJson(row), 'utf8').digest('hex')}`;
}

/**
 * The state digest of a set of rows (key and row digest each): the RFC 9162 Merkle tree head with
 * SM3 over the leaves `key ␠ digest`, sorted by code unit, so it depends on the set only — not on
 * the order rows were applied — and binds every row to its key. Empty set: SM3 of nothing.
 */
export function stateDigest(rows: Iterable<{ key: string; digest: string }>): string {
  const leaves = Array.from(rows, (row) => `${row.key} ${row.digest}`).sort();
  let range = EMPTY_MERKLE_RANGE;
  for (const leaf of leaves) range = merkleAppend(range, merkleLeafHash(leaf));
  return `sm3:${merkleRoot(range)}`;
}

/** The seq order and key uniqueness of a page's items. */
function orderIssues(page: RowPage, lang: Lang): Issue[] {
  const issues: Issue[] = [];
  const keys = new Set<string>();
  let previous = page.from;
  page.items.forEach((item, index) => {
    if (item.seq <= previous || keys.has(item.key)) {
      const found = item.seq <= previous ? `seq ${item.seq} after ${previous}` : `key ${item.key} twice`;
      issues.push(returnIssue('RET-106', `/items/${index}`, { found }, lang));
    }
    keys.add(item.key);
    previous = item.seq;
  });
  return issues;
}

/** The structure rules of a well-formed page: seq order, `to`, `head` and `next` agree. */
export function rowPageStructureIssues(page: RowPage, lang: Lang = 'zh-CN'): Issue[] {
  const issues = orderIssues(page, lang);
  const to = page.items.at(-1)?.seq ?? page.from;
  const next = page.complete ? null : String(page.to);
  const broken = [
    page.to !== to ? `to ${page.to}, last seq ${to}` : '',
    page.head < page.to ? `head ${page.head} < to ${page.to}` : '',
    page.next !== next ? `next ${String(page.next)}, expected ${String(next)}` : '',
  ].filter((text) => text !== '');
  if (broken.length > 0) issues.push(returnIssue('RET-107', '', { found: broken.join('; ') }, lang));
  return issues;
}

export interface RowPageInput {
  hub: string;
  subscription: string;
  resource: string;
  from: number;
  items: RowPageItem[];
  head: number;
  complete: boolean;
  rows: number;
  stateDigest: string;
  generatedAt: string;
}

/** A page from its items: `to` and `next` follow. Throws CascadeError on a broken page. */
export function buildRowPage(input: RowPageInput): RowPage {
  const to = input.items.at(-1)?.seq ?? input.from;
  const page: RowPage = { ...input, to, next: input.complete ? null : String(to) };
  const issues = rowPageStructureIssues(page);
  if (issues.length > 0) throw new CascadeError(issues);
  return page;
}

/** Signs a page with the hub's node key (checked first: a hub never signs a broken page). */
export function signRowPage(page: RowPage, signer: NodeSigner): DsseEnvelope {
  const schema = validateDocument('cascade-row-page', page, { allErrors: false });
  const issues = schema.length > 0 ? schema : rowPageStructureIssues(page);
  if (issues.length > 0) throw new CascadeError(issues);
  return signDsse(signer, ROW_PAGE_PAYLOAD_TYPE, page);
}
