/**
 * What the planner demands of the pages it is given before it reads any item: one origin, one
 * mode, and no gap — from the stored cursor to the first page, and between pages. A gap would
 * silently lose changes, so it is an error, never something to plan around.
 */
import type { Lang } from '../issues.js';
import { CascadeError, cascadeIssue } from './errors.js';
import type { FeedMode } from './feed-page.js';
import type { VerifiedFeedPage } from './verified.js';

/** Throws CascadeError (FED-204/205/206) when the pages cannot be planned as one sync. */
export function checkPageSet(
  origin: string,
  pages: readonly VerifiedFeedPage[],
  cursor: number,
  lang: Lang,
): FeedMode {
  const mode = pages[0]?.mode ?? 'changes';
  const fail = (...args: Parameters<typeof cascadeIssue>): never => {
    throw new CascadeError([cascadeIssue(...args)]);
  };
  pages.forEach((page, index) => {
    if (page.hub !== origin) fail('FED-204', `/${index}/hub`, { found: page.hub, expected: origin }, lang);
    if (page.mode !== mode) fail('FED-206', `/${index}/mode`, { found: `${mode} + ${page.mode}` }, lang);
    const previous =
      index === 0 ? (mode === 'snapshot' ? 0 : cursor) : (pages[index - 1] as VerifiedFeedPage).to;
    if (mode === 'snapshot' && index === 0 && page.from !== 0) {
      fail('FED-206', '/0/from', { found: `snapshot after ${page.from}` }, lang);
    }
    // The first changes page may start before the cursor (a re-read is harmless), never after it.
    const gap = index === 0 ? page.from > previous : page.from !== previous;
    if (gap) fail('FED-205', `/${index}/from`, { index, found: page.from, expected: previous }, lang);
  });
  return mode;
}
