/** The provider's counter-offer: never more than was asked for, identified by its digest. */
import { HubError } from '../../errors.js';
import { termsDigest } from './grants.js';
import {
  requestOf,
  type ApplicationRow,
  type Issue,
  type Mode,
  type Offer,
  type Period,
  type Quota,
} from './records.js';
import { parseRowFilter, resolveItems, type PublishedResource } from './resource-terms.js';

export interface OfferInput {
  items: string[];
  masking: string;
  quota: Quota;
  period: Period;
  mode: Mode;
  rowFilter?: string;
}

/** What in an offer goes beyond the request: items not asked for, a longer period. */
function offerIssues(
  asked: { items: string[]; period: Period },
  items: string[],
  unknown: string[],
  period: Period,
) {
  const issues: Issue[] = unknown.map((name) => ({
    code: 'OFFER_ITEM',
    severity: 'error',
    location: '/items',
    message: `"${name}" is not an item of the resource`,
  }));
  items.forEach((name, index) => {
    if (!asked.items.includes(name))
      issues.push({
        code: 'OFFER_ITEM',
        severity: 'error',
        location: `/items/${index}`,
        message: `"${name}" was not applied for`,
      });
  });
  if (period.from > period.to)
    issues.push({
      code: 'OFFER_PERIOD',
      severity: 'error',
      location: '/period',
      message: 'period.from is after period.to',
    });
  if (period.from < asked.period.from || period.to > asked.period.to)
    issues.push({
      code: 'OFFER_PERIOD',
      severity: 'error',
      location: '/period',
      message: `the offered period must lie within the one applied for (${asked.period.from} – ${asked.period.to})`,
    });
  return issues;
}

/** Checks an offer against the request and the resource; answers it with its id and digest. */
export function buildOffer(
  row: ApplicationRow,
  resource: PublishedResource,
  input: Partial<OfferInput>,
): Offer {
  const { items = [], masking, quota, period, mode } = input;
  if (!masking || quota?.perDay === undefined || !period || !mode || items.length === 0)
    throw new HubError('HUB_ERR_BAD_REQUEST', {
      detail: 'an offer needs items, masking, quota, period and mode',
    });
  const { resolved, unknown } = resolveItems(resource, items);
  const issues = offerIssues(
    requestOf(row),
    resolved,
    unknown.map((entry) => entry.name),
    period,
  );
  if (issues.length > 0)
    throw new HubError('HUB_ERR_APPLICATION_INVALID', { count: issues.length }, { issues });
  if (input.rowFilter !== undefined) parseRowFilter(resource, input.rowFilter);
  const terms = {
    items: resolved,
    masking,
    quota: { ...quota, perDay: quota.perDay },
    period,
    mode,
    ...(input.rowFilter ? { rowFilter: input.rowFilter } : {}),
  };
  const digest = termsDigest(terms);
  return { id: `offer-${digest.slice(4, 16)}`, digest, ...terms };
}
