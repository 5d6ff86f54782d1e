/**
 * Reading a child hub's feed for one sync (docs/cascade-api.md "Sync"): pages are fetched with
 * this hub's node signature and each is verified against the child's pinned key before it is
 * kept. The first failure — unreachable, refused, or a page that does not verify — ends the
 * read: the pages before it may still be planned, nothing after it is read.
 */
import {
  feedCursor,
  verifyFeedPage,
  type FeedMode,
  type Issue,
  type Lang,
  type VerifiedFeedPage,
} from '@minjiang/standards';
import type { HubContext } from '../../plugins/store.js';
import { signedNodeFetch } from './node-auth.js';
import { MAX_FEED_LIMIT } from './feed-read.js';

/** An approved child as sync needs it: where to read and which key its pages must verify with. */
export interface ChildNode {
  hub: string;
  baseUrl: string;
  publicKey: string;
}

/** Why a read stopped early; stored as the child's last error. */
export interface SyncFailure {
  /** `HUB_ERR_CASCADE_UNREACHABLE`, the child's error code, or the first FED-1xx/SCH issue. */
  code: string;
  message: string;
  /** The HTTP status the child answered, when it answered. */
  status?: number;
  issues?: Issue[];
}

export interface PagesRead {
  pages: VerifiedFeedPage[];
  /** The child's head at the last page read (0 when none was). */
  head: number;
  failure: SyncFailure | null;
}

/** A full listing reads to its end (a cut-off one deletes nothing), within this bound. */
const MAX_LISTING_PAGES = 1000;

export function feedUrl(baseUrl: string, after: string, limit: number): string {
  const base = baseUrl.replace(/\/+$/, '');
  return `${base}/api/v1/cascade/feed?after=${after}&limit=${limit}`;
}

function refused(status: number, body: unknown): SyncFailure {
  const answer = (body ?? {}) as { code?: unknown; message?: unknown };
  return {
    code: typeof answer.code === 'string' ? answer.code : `HTTP_${status}`,
    message: typeof answer.message === 'string' ? answer.message : `the child answered ${status}`,
    status,
  };
}

async function fetchPage(hub: HubContext, url: string): Promise<{ body: unknown } | SyncFailure> {
  try {
    const answer = await signedNodeFetch(hub, url, { method: 'GET' });
    return answer.status === 200 ? { body: answer.body } : refused(answer.status, answer.body);
  } catch (error) {
    return { code: 'HUB_ERR_CASCADE_UNREACHABLE', message: (error as Error).message };
  }
}

/** Reads and verifies pages from the cursor (changes) or from the start of the listing (full). */
export async function readPages(
  hub: HubContext,
  child: ChildNode,
  mode: FeedMode,
  cursor: number,
  lang: Lang,
): Promise<PagesRead> {
  const pages: VerifiedFeedPage[] = [];
  const limit = mode === 'snapshot' ? MAX_LISTING_PAGES : Math.max(1, hub.config.cascadePagesPerSync);
  const pageSize = Math.min(MAX_FEED_LIMIT, hub.config.cascadeFeedPageSize);
  let after = mode === 'snapshot' ? 0 : cursor;
  let head = 0;
  while (pages.length < limit) {
    const fetched = await fetchPage(hub, feedUrl(child.baseUrl, feedCursor(mode, after), pageSize));
    if ('code' in fetched) return { pages, head, failure: fetched };
    const verified = verifyFeedPage(fetched.body, {
      hub: child.hub,
      publicKey: child.publicKey,
      after,
      lang,
    });
    if (!verified.ok) {
      const [first] = verified.issues;
      const failure = {
        code: first?.code ?? 'FED-101',
        message: first?.message ?? '',
        issues: verified.issues,
      };
      return { pages, head, failure };
    }
    pages.push(verified.page);
    head = verified.page.head;
    after = verified.page.to;
    if (verified.page.complete) break;
  }
  return { pages, head, failure: null };
}
