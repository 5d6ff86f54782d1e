/**
 * A city's check of one signed row page against the parent's pinned node key: the signature,
 * the page's shape, whose page it is, the cursor structure and every row's digest. Pure; never
 * throws for any input.
 */
import type { Issue, Lang } from '../issues.js';
import { validateDocument } from '../validate.js';
import {
  ROW_PAGE_PAYLOAD_TYPE,
  returnIssue,
  rowDigest,
  rowPageStructureIssues,
  type RowPage,
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

/** An upsert carries its digest and row, a delete neither; the first item that breaks it, or ''. */
export function rowPageChangeFault(page: RowPage): string {
  for (const [index, item] of page.items.entries()) {
    const full = item.digest !== undefined && item.row !== undefined;
    const bare = item.digest === undefined && item.row === undefined;
    if (item.change === 'upsert' ? !full : !bare) return `/items/${index}`;
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
  if (document === undefined) return fail([returnIssue('RET-103', '', { found: 'not JSON' }, lang)]);
  const schema = validateDocument('cascade-row-page', document, { lang, allErrors: false });
  if (schema.length > 0) return fail(schema);
  const page = document as RowPage;
  const fault = rowPageChangeFault(page);
  if (fault)
    return fail([returnIssue('RET-103', fault, { found: `${fault}: ${page.items.length} items` }, lang)]);
  const issues = [...rowPageStructureIssues(page, lang), ...contentIssues(page, options, lang)];
  return issues.length > 0 ? fail(issues) : { ok: true, page, issues: [] };
}
