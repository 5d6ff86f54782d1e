/**
 * The nudge from a city (docs/cascade-api.md "Sync"): after a request that may have appended to
 * this hub's feed has been answered — so its transaction has committed — the city tells its
 * approved parent its new head, and the parent syncs it now instead of on its interval.
 *
 * Best effort and rate-limited: a nudge goes out `NUDGE_DELAY_MS` after the first write that
 * asks for one and at least `cascadeNudgeGap` seconds after the previous nudge, carrying the head
 * as it is then, so a burst of approvals sends one nudge. Only a head above the last one sent goes out.
 * A nudge that fails is logged and forgotten: the catalog change stands, and the parent's
 * scheduler reads the feed on its interval anyway.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { HubContext } from '../../plugins/store.js';
import { signedNodeFetch } from './node-auth.js';

/** Wait after the first write of a burst, so the writes that follow share its nudge. */
export const NUDGE_DELAY_MS = 250;

/** One hub process's nudging, kept for the tests to read. */
export interface NudgeState {
  timer: NodeJS.Timeout | null;
  sending: Promise<void> | null;
  /** An ask that came while a nudge was being sent: one more nudge follows it. */
  asked: boolean;
  stopped: boolean;
  lastSentAt: number;
  /** The head of the last nudge the parent accepted. */
  lastHead: number;
  sent: number;
  failed: number;
}

const states = new WeakMap<HubContext, NudgeState>();

export function nudgeState(hub: HubContext): NudgeState {
  let state = states.get(hub);
  if (!state) {
    state = {
      timer: null,
      sending: null,
      asked: false,
      stopped: false,
      lastSentAt: 0,
      lastHead: 0,
      sent: 0,
      failed: 0,
    };
    states.set(hub, state);
  }
  return state;
}

/** Whether this hub nudges at all: a city with a configured parent, nudges not turned off. */
export function nudgesParent(hub: HubContext): boolean {
  const { role, parentUrl, parentCode, cascadeNudgeGap } = hub.config;
  return role === 'city' && Boolean(parentUrl) && Boolean(parentCode) && cascadeNudgeGap > 0;
}

async function feedHead(hub: HubContext): Promise<number> {
  const row = await hub.store.db
    .selectFrom('cascade_feed')
    .select((eb) => eb.fn.max('seq').as('head'))
    .executeTakeFirst();
  return Number(row?.head ?? 0);
}

async function parentApproved(hub: HubContext): Promise<boolean> {
  const row = await hub.store.db
    .selectFrom('cascade_parent')
    .select('state')
    .where('hub', '=', hub.config.parentCode ?? '')
    .executeTakeFirst();
  return row?.state === 'APPROVED';
}

/** Sends one nudge if the head grew since the last accepted one and the parent approved this hub. */
async function sendNudge(hub: HubContext, log: FastifyBaseLogger): Promise<void> {
  const state = nudgeState(hub);
  const head = await feedHead(hub);
  if (head <= state.lastHead || !(await parentApproved(hub))) return;
  state.lastSentAt = Date.now();
  const url = `${(hub.config.parentUrl ?? '').replace(/\/+$/, '')}/api/v1/cascade/nudge`;
  const body = { hub: hub.config.hubCode, head };
  const answer = await signedNodeFetch(hub, url, { method: 'POST', body });
  if (answer.status !== 202) {
    state.failed += 1;
    log.warn({ status: answer.status, answer: answer.body }, 'the parent hub refused the cascade nudge');
    return;
  }
  state.sent += 1;
  state.lastHead = Math.max(state.lastHead, head);
}

/**
 * Asks for a nudge soon: the first ask of a burst starts the timer, the others ride on it; an ask
 * while a nudge is on its way (a slow parent) is kept for one more nudge after it. Never throws
 * and never delays the request that asked.
 */
export function nudgeParentSoon(hub: HubContext, log: FastifyBaseLogger): void {
  const state = nudgeState(hub);
  if (state.stopped || state.timer) return;
  if (state.sending) {
    state.asked = true;
    return;
  }
  const wait = Math.max(NUDGE_DELAY_MS, state.lastSentAt + hub.config.cascadeNudgeGap * 1000 - Date.now());
  state.timer = setTimeout(() => {
    state.timer = null;
    state.sending = sendNudge(hub, log)
      .catch((error: unknown) => {
        state.failed += 1;
        log.warn({ err: error }, 'cascade nudge to the parent hub failed');
      })
      .finally(() => {
        state.sending = null;
        if (state.asked) {
          state.asked = false;
          nudgeParentSoon(hub, log);
        }
      });
  }, wait);
  // A pending nudge never keeps a hub process alive.
  state.timer.unref();
}

/** Drops a pending nudge and waits for one being sent (the hub is closing). */
export async function stopNudging(hub: HubContext): Promise<void> {
  const state = states.get(hub);
  if (!state) return;
  state.stopped = true;
  if (state.timer) clearTimeout(state.timer);
  state.timer = null;
  await state.sending;
}
