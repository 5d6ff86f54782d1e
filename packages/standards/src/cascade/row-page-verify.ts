/**
 * A city's check of one signed row page against the parent's pinned node key: the signature,
 * the page's shape, whose page it is, the cursor structure and every row's digest. Pure; never
 * throws for any input.
 */
import type { Issue, Lang } from '../issues.js';
import {
  MAX_ROW_PAGE_ITEMS,
  ROW_PAGE_PAYLOAD_TYPE,
  returnIssue,
  rowDigest,
  rowPageStructureIssues,
  type RowPage,
  type RowPageItem,
} from './row-page.js';
import { openSigned } from './verify-page.js';

export interface VerifyRowPageOptions {
  /** The parent hub that serves the subscription. */
  hub: string;
  /** Its node public key (hex), pinned at approval. */
  publicKey: string;
  subscription: string;
  /** The cursor the page was requested after. */
  after?: number;
  lang?: Lang;
}

export type RowPageVerification =
  { ok: true; page: RowPage; issues: [] } | { ok: false; page: null; issues: Issue[] };

const isSeq = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
const isText = (value: unknown, max = 200): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= max;

function isRow(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.values(value).every((cell) => cell === null || typeof cell === 'string');
}

/** What is wrong with one item's shape, or ''. */
function itemFault(item: Partial<RowPageItem> | null, index: number): string {
  const at = `/items/${index}`;
  if (typeof item !== 'object' || item === null) return at;
  if (!isSeq(item.seq)) return `${at}/seq`;
  if (!isText(item.key)) return `${at}/key`;
  if (item.change === 'delete') return item.row === undefined && item.digest === undefined ? '' : `${at}/row`;
  if (item.change !== 'upsert') return `${at}/change`;
  if (!isText(item.digest, 80)) return `${at}/digest`;
  return isRow(item.row) ? '' : `${at}/row`;
}

/** The first member of a payload that is not what a row page holds, or ''. */
export function rowPageShapeFault(document: unknown): string {
  const page = document as Partial<RowPage> | null;
  if (typeof page !== 'object' || page === null || Array.isArray(page)) return '/';
  const checks: [string, boolean][] = [
    ['/hub', isText(page.hub, 12)],
    ['/subscription', isText(page.subscription, 64)],
    ['/resource', isText(page.resource, 64)],
    ['/from', isSeq(page.from)],
    ['/to', isSeq(page.to)],
    ['/head', isSeq(page.head)],
    ['/rows', isSeq(page.rows)],
    ['/complete', typeof page.complete === 'boolean'],
    ['/next', page.next === null || isText(page.next, 16)],
    ['/stateDigest', isText(page.stateDigest, 80)],
    ['/generatedAt', isText(page.generatedAt, 40)],
    ['/items', Array.isArray(page.items) && page.items.length <= MAX_ROW_PAGE_ITEMS],
  ];
  const failed = checks.find(([, ok]) => !ok);
  if (failed) return failed[0];
  for (const [index, item] of (page.items as unknown[]).entries()) {
    const fault = itemFault(item as Partial<RowPageItem> | null, index);
    if (fault) return fault;
  }
  return '';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Whose page it is and where it starts, then every upsert's digest. */
function contentIssues(page: RowPage, options: VerifyRowPageOptions, lang: Lang): Issue[] {
  const issues: Issue[] = [];
  const pairs: [string, string, string][] = [
    ['/hub', page.hub, options.hub],
    ['/subscription', page.subscription, options.subscription],
  ];
  for (const [at, found, expected] of pairs)
    if (found !== expected) issues.push(returnIssue('RET-104', at, { found, expected }, lang));
  if (options.after !== undefined && page.from !== options.after)
    issues.push(returnIssue('RET-105', '/from', { found: page.from, expected: options.after }, lang));
  page.items.forEach((item, index) => {
    if (item.change === 'upsert' && item.digest !== rowDigest(item.row ?? {}))
      issues.push(returnIssue('RET-108', `/items/${index}/digest`, { found: item.key }, lang));
  });
  return issues;
}

/** Verifies a signed row page; the page is returned only when every check passed. */
export function verifyRowPage(envelope: unknown, options: VerifyRowPageOptions): RowPageVerification {
  const lang = options.lang ?? 'zh-CN';
  const fail = (issues: Issue[]): RowPageVerification => ({ ok: false, page: null, issues });
  const opened = openSigned(envelope, ROW_PAGE_PAYLOAD_TYPE, options.publicKey);
  if (opened === 'shape')
    return fail([returnIssue('RET-101', '', { expected: ROW_PAGE_PAYLOAD_TYPE }, lang)]);
  if (opened === 'signature') return fail([returnIssue('RET-102', '', { hub: options.hub }, lang)]);
  const document = parseJson(opened.body);
  const fault = document === undefined ? '/' : rowPageShapeFault(document);
  if (fault) return fail([returnIssue('RET-103', fault, { found: fault }, lang)]);
  const page = document as RowPage;
  const issues = [...rowPageStructureIssues(page, lang), ...contentIssues(page, options, lang)];
  return issues.length > 0 ? fail(issues) : { ok: true, page, issues: [] };
}
