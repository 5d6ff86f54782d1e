import type {
  Application,
  ApplicationState,
  DecisionOutcome,
  DecisionWait,
} from '../client/sharing-types.js';

export interface DecisionWaitOptions {
  /** Give up after this long (default 10 minutes): the outcome is then `pending`. */
  timeoutMs?: number;
  /** Between polls (default 5 s). */
  intervalMs?: number;
  signal?: AbortSignal;
  /** Called after each poll with the application as read. */
  onPoll?: (application: Application) => void;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

const APPROVED: readonly ApplicationState[] = ['APPROVED', 'ACTIVE'];
const REFUSED: readonly ApplicationState[] = ['REJECTED', 'WITHDRAWN', 'EXPIRED', 'REVOKED'];

/**
 * Where a state leaves a waiting applicant. REJECTED counts as refused even though it can still
 * be escalated: escalating is the applicant's own act, so nothing is gained by waiting on it.
 * SUSPENDED is neither: the provider may resume it.
 */
export function decisionOf(state: ApplicationState): DecisionOutcome {
  if (APPROVED.includes(state)) return 'approved';
  if (REFUSED.includes(state)) return 'refused';
  return 'pending';
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}

/**
 * Polls an application until it is decided or the time is up, as `waitForReview` does for
 * catalog reviews: a decision is someone else's act, so the caller learns `pending` rather than
 * an error when the time runs out (the CLI's exit code 7).
 */
export async function waitForDecision(
  read: (id: string) => Promise<Application>,
  id: string,
  options: DecisionWaitOptions = {},
): Promise<DecisionWait> {
  const now = options.now ?? Date.now;
  const deadline = now() + (options.timeoutMs ?? 600_000);
  const sleep = options.sleep ?? ((ms: number) => pause(ms, options.signal));
  for (let polls = 1; ; polls += 1) {
    const application = await read(id);
    options.onPoll?.(application);
    const outcome = decisionOf(application.state);
    const left = deadline - now();
    if (outcome !== 'pending' || left <= 0 || options.signal?.aborted) return { outcome, application, polls };
    await sleep(Math.min(options.intervalMs ?? 5000, left));
  }
}
