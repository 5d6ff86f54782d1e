/**
 * What organisations owed others in the period, and whether they delivered on time:
 * problem tickets opened against them (问题数据按期办结), and applications and demands that
 * reached them as the provider (申请与需求响应). An obligation counts in the period it arose in;
 * lateness is judged at the moment the report runs, so one still open past its deadline is late.
 */
import type { Kysely } from 'kysely';
import type { DeadlineDays } from '../../config.js';
import type { Database } from '../../db/schema.js';
import type { WorkflowEventTable } from '../../db/schema-sharing.js';
import { workingDeadline, type WorkingCalendar } from '../governance/calendar.js';
import type { AssessmentPeriod } from './period.js';
import {
  responseScore,
  round,
  workingDaysBetween,
  type ResponseFigures,
  type TicketFigures,
} from './indicators.js';

/** Tickets opened in the period: closed by their deadline, closed after it or still open past it, or still open in time. */
export async function ticketFigures(
  db: Kysely<Database>,
  period: AssessmentPeriod,
  now: Date,
): Promise<Map<string, TicketFigures>> {
  const rows = await db
    .selectFrom('problem_tickets')
    .select(['org_id', 'deadline', 'closed_at'])
    .where('created_at', '>=', period.from)
    .where('created_at', '<', period.to)
    .execute();
  const figures = new Map<string, TicketFigures>();
  for (const row of rows) {
    const entry = figures.get(row.org_id) ?? { score: 100, tickets: 0, onTime: 0, late: 0, pending: 0 };
    figures.set(row.org_id, entry);
    entry.tickets += 1;
    if (row.closed_at !== null && row.closed_at <= row.deadline) entry.onTime += 1;
    else if (row.closed_at !== null || row.deadline < now.toISOString()) entry.late += 1;
    else entry.pending += 1;
  }
  for (const entry of figures.values()) {
    const counted = entry.onTime + entry.late;
    entry.score = counted === 0 ? 100 : round((100 * entry.onTime) / counted, 2);
  }
  return figures;
}

type Event = Pick<
  WorkflowEventTable,
  'subject_id' | 'seq' | 'action' | 'from_state' | 'to_state' | 'actor_org' | 'at' | 'detail'
>;

/** One stretch of time a provider had to answer: when it started, and how it ended (if it has). */
export interface Episode {
  kind: 'application' | 'demand';
  provider: string;
  start: string;
  end: { at: string; answered: boolean } | null;
}

interface Rules {
  /** Whether an event starts the provider's clock, and for whom. */
  starts(event: Event, provider: string | null): string | null;
  /** Whether an event ends it, and whether by the provider's answer. */
  ends(event: Event): { answered: boolean } | null;
}

const APPLICATION_RULES: Rules = {
  starts: (event, provider) => (event.to_state === 'PROVIDER_REVIEW' ? provider : null),
  // Every step out of PROVIDER_REVIEW ends it; approve, offer and reject are the provider's answer.
  ends: (event) => ({
    answered: ['approve', 'offer', 'reject'].includes(event.action) && event.actor_org !== null,
  }),
};

const DEMAND_RULES: Rules = {
  starts: (event) => {
    const routed =
      event.to_state === 'ROUTED' || (event.action === 'claim' && event.from_state === 'SUBMITTED');
    if (!routed || event.detail === null) return null;
    return (JSON.parse(event.detail) as { provider?: string }).provider ?? null;
  },
  // Claiming keeps the clock running; fulfilling or declining answers; withdrawal or a new routing ends it.
  ends: (event) => {
    if (event.to_state === 'FULFILLED' || event.to_state === 'DECLINED') return { answered: true };
    return event.to_state === 'WITHDRAWN' || event.to_state === 'ROUTED' ? { answered: false } : null;
  },
};

/** Walks each subject's history in order and cuts it into episodes that started in the period. */
function episodes(
  kind: Episode['kind'],
  events: (Event & { provider: string | null })[],
  rules: Rules,
  period: AssessmentPeriod,
): Episode[] {
  const found: Episode[] = [];
  let open: Episode | null = null;
  let subject = '';
  for (const event of events) {
    if (event.subject_id !== subject) [subject, open] = [event.subject_id, null];
    if (open) {
      const ended = rules.ends(event);
      if (ended) [open.end, open] = [{ at: event.at, answered: ended.answered }, null];
    }
    const provider = rules.starts(event, event.provider);
    if (provider && event.at >= period.from && event.at < period.to) {
      open = { kind, provider, start: event.at, end: null };
      found.push(open);
    }
  }
  return found;
}

/** The episodes of applications and demands whose clock started in the period. */
export async function responseEpisodes(db: Kysely<Database>, period: AssessmentPeriod): Promise<Episode[]> {
  const columns = [
    'e.subject_id',
    'e.seq',
    'e.action',
    'e.from_state',
    'e.to_state',
    'e.actor_org',
    'e.at',
    'e.detail',
  ] as const;
  const applications = await db
    .selectFrom('application_events as e')
    .innerJoin('applications as a', 'a.id', 'e.subject_id')
    .select([...columns, 'a.provider_org as provider'])
    .where('e.subject_id', 'in', (eb) =>
      eb
        .selectFrom('application_events')
        .select('subject_id')
        .where('to_state', '=', 'PROVIDER_REVIEW')
        .where('at', '>=', period.from)
        .where('at', '<', period.to),
    )
    .orderBy('e.subject_id')
    .orderBy('e.seq')
    .execute();
  const demands = await db
    .selectFrom('demand_events as e')
    .select([...columns, (eb) => eb.val<string | null>(null).as('provider')])
    .where('e.subject_id', 'in', (eb) =>
      eb
        .selectFrom('demand_events')
        .select('subject_id')
        .where('to_state', 'in', ['ROUTED', 'CLAIMED'])
        .where('at', '>=', period.from)
        .where('at', '<', period.to),
    )
    .orderBy('e.subject_id')
    .orderBy('e.seq')
    .execute();
  return [
    ...episodes('application', applications, APPLICATION_RULES, period),
    ...episodes('demand', demands, DEMAND_RULES, period),
  ];
}

interface Judged {
  outcome: 'onTime' | 'late' | 'pending' | 'excluded';
  score: number;
  days: number | null;
}

/**
 * One episode against its deadline (the workflow's: the end of the n-th working day after the
 * start): an answer by then is on time (100); after it, late, scored by the working days taken
 * (at least n + 1). Unanswered: late once past the deadline (scored up to its end, or to now),
 * else pending; ended by someone else in time (withdrawn, routed elsewhere): not counted.
 */
export function judge(episode: Episode, allowed: number, calendar: WorkingCalendar, now: Date): Judged {
  const start = new Date(episode.start);
  const deadline = workingDeadline(start, allowed, calendar);
  const until = episode.end ? new Date(episode.end.at) : now;
  const inTime = until.toISOString() <= deadline;
  const days = workingDaysBetween(start, until, calendar);
  const lateScore = responseScore(Math.max(days, allowed + 1), allowed);
  const answered = episode.end?.answered === true;
  if (answered)
    return inTime ? { outcome: 'onTime', score: 100, days } : { outcome: 'late', score: lateScore, days };
  if (inTime) return { outcome: episode.end ? 'excluded' : 'pending', score: 0, days: null };
  return { outcome: 'late', score: lateScore, days: null };
}

/** The response indicator per provider: the mean score of its counted episodes (100 when none). */
export async function responseFigures(
  db: Kysely<Database>,
  period: AssessmentPeriod,
  now: Date,
  config: { deadlineDays: DeadlineDays; calendar: WorkingCalendar },
): Promise<Map<string, ResponseFigures>> {
  const figures = new Map<string, ResponseFigures & { sum: number; answered: number; daySum: number }>();
  for (const episode of await responseEpisodes(db, period)) {
    const allowed =
      episode.kind === 'application' ? config.deadlineDays.providerReview : config.deadlineDays.demand;
    const judged = judge(episode, allowed, config.calendar, now);
    if (judged.outcome === 'excluded') continue;
    const entry = figures.get(episode.provider) ?? {
      ...{ score: 100, applications: 0, demands: 0, onTime: 0, late: 0, pending: 0, meanWorkingDays: null },
      ...{ sum: 0, answered: 0, daySum: 0 },
    };
    figures.set(episode.provider, entry);
    entry[episode.kind === 'application' ? 'applications' : 'demands'] += 1;
    entry[judged.outcome] += 1;
    entry.sum += judged.score;
    if (judged.days !== null)
      [entry.answered, entry.daySum] = [entry.answered + 1, entry.daySum + judged.days];
  }
  const result = new Map<string, ResponseFigures>();
  for (const [org, { sum, answered, daySum, ...entry }] of figures) {
    const counted = entry.onTime + entry.late;
    result.set(org, {
      ...entry,
      score: counted === 0 ? 100 : round(sum / counted, 2),
      meanWorkingDays: answered === 0 ? null : round(daySum / answered, 2),
    });
  }
  return result;
}
