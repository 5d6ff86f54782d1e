/**
 * Feed pages (docs/cascade-api.md "Feed"): a hub signs each page as a whole with its node key,
 * so a reader can trust the cursor fields (from, to, complete, next) as much as the items, and
 * the structure rules below are what lets a reader tell a complete listing from a cut-off one.
 */
import { signDsse, type DsseEnvelope } from '../crypto/dsse.js';
import type { CascadeFeedItem, CascadeFeedPage } from '../generated/types.js';
import { pointer, type Issue, type Lang } from '../issues.js';
import { validateDocument, validateFeedItem } from '../validate.js';
import { CascadeError, cascadeIssue } from './errors.js';
import type { NodeSigner } from './record.js';

export const FEED_PAGE_PAYLOAD_TYPE = 'application/vnd.ses.feed-page+json;v=1';

export type FeedMode = CascadeFeedPage['mode'];

/** A feed cursor: `c<seq>` in the change feed, `s<seq>` in a snapshot listing. */
export function feedCursor(mode: FeedMode, seq: number): string {
  return `${mode === 'changes' ? 'c' : 's'}${seq}`;
}

/** The mode and seq of a cursor; null when the text is not one. */
export function parseFeedCursor(text: string): { mode: FeedMode; seq: number } | null {
  const match = /^([cs])([0-9]{1,15})$/.exec(text);
  if (!match) return null;
  return { mode: match[1] === 'c' ? 'changes' : 'snapshot', seq: Number(match[2]) };
}

export interface FeedPageInput {
  hub: string;
  mode: FeedMode;
  /** The cursor seq the page continues after (0 at the start). */
  from: number;
  items: CascadeFeedItem[];
  /** True when no item follows the last one (or `from`) at generation time. */
  complete: boolean;
  /** The feed's highest seq now. */
  head: number;
  generatedAt: string;
}

/** Issues with seq order: changes pages are gapless from from+1, snapshot pages strictly increasing. */
function seqIssues(page: CascadeFeedPage, lang: Lang): Issue[] {
  const issues: Issue[] = [];
  const seen = new Set<string>();
  let previous = page.from;
  page.items.forEach((item, index) => {
    const gapless = page.mode === 'changes';
    if (gapless ? item.seq !== previous + 1 : item.seq <= previous) {
      const expected = gapless ? String(previous + 1) : `> ${previous}`;
      issues.push(
        cascadeIssue('FED-106', pointer('items', index, 'seq'), { found: item.seq, expected }, lang),
      );
    }
    if (page.mode === 'snapshot' && seen.has(item.object)) {
      issues.push(cascadeIssue('FED-114', pointer('items', index, 'object'), { found: item.object }, lang));
    }
    seen.add(item.object);
    previous = item.seq;
  });
  return issues;
}

/** The structure rules of a page that passed its schema: seq order, to, next and head agree. */
export function pageStructureIssues(page: CascadeFeedPage, lang: Lang = 'zh-CN'): Issue[] {
  const issues = seqIssues(page, lang);
  const lastSeq = page.items.at(-1)?.seq ?? page.from;
  if (page.to !== lastSeq)
    issues.push(cascadeIssue('FED-107', '/to', { found: page.to, expected: lastSeq }, lang));
  const next = page.complete ? null : feedCursor(page.mode, page.to);
  if (page.next !== next) {
    issues.push(cascadeIssue('FED-108', '/next', { found: String(page.next), expected: String(next) }, lang));
  }
  if (page.head < page.to)
    issues.push(cascadeIssue('FED-109', '/head', { found: page.head, expected: page.to }, lang));
  return issues;
}

/** Schema, item rules and structure of a page document; the first failing layer's issues. */
export function feedPageIssues(document: unknown, lang: Lang = 'zh-CN'): Issue[] {
  const schema = validateDocument('cascade-feed-page', document, { lang, allErrors: false });
  if (schema.length > 0) return schema;
  const page = document as CascadeFeedPage;
  const items = page.items.flatMap((item, index) =>
    validateFeedItem(item, { lang, allErrors: false }).map((issue) => ({
      ...issue,
      location: `${pointer('items', index)}${issue.location}`,
    })),
  );
  return items.length > 0 ? items : pageStructureIssues(page, lang);
}

/** A page from its items: `to` and `next` follow from them. Throws CascadeError on a broken page. */
export function buildFeedPage(input: FeedPageInput): CascadeFeedPage {
  const to = input.items.at(-1)?.seq ?? input.from;
  const page: CascadeFeedPage = {
    hub: input.hub,
    mode: input.mode,
    from: input.from,
    to,
    head: input.head,
    complete: input.complete,
    next: input.complete ? null : feedCursor(input.mode, to),
    generatedAt: input.generatedAt,
    items: input.items,
  };
  const issues = feedPageIssues(page);
  if (issues.length > 0) throw new CascadeError(issues);
  return page;
}

/** Signs a page with the hub's node key (checked first: a hub never signs a broken page). */
export function signFeedPage(page: CascadeFeedPage, signer: NodeSigner): DsseEnvelope {
  const issues = feedPageIssues(page);
  if (issues.length > 0) throw new CascadeError(issues);
  return signDsse(signer, FEED_PAGE_PAYLOAD_TYPE, page);
}
