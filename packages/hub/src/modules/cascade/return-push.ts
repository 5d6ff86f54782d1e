/**
 * The province pushes increments (docs/cascade-return.md "Push"), the nudge pattern turned
 * round: after a write that succeeded (a committed submission, a correction — whichever module
 * wrote rows need not be known here), the province refreshes its ACTIVE subscriptions' change
 * logs and nudges each child whose rows changed. A burst of writes makes one refresh, 250 ms after
 * the first and at least `cascadeNudgeGap` seconds after the previous one (0 turns it off; the
 * scheduler's round still comes). Best effort: a failure is logged, never fails the write.
 */
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { HubContext } from '../../plugins/store.js';
import { refreshAndNudge, returnWorkSettled, trackReturnWork } from './return-sweep.js';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
const PUSH_DELAY_MS = 250;

interface PushState {
  timer: NodeJS.Timeout | null;
  running: boolean;
  asked: boolean;
  stopped: boolean;
  lastAt: number;
}

const states = new WeakMap<HubContext, PushState>();

function stateOf(hub: HubContext): PushState {
  let state = states.get(hub);
  if (!state)
    states.set(hub, (state = { timer: null, running: false, asked: false, stopped: false, lastAt: 0 }));
  return state;
}

/** Refreshes and nudges soon; asks meanwhile ride on it, or on one more run after a running one. */
export function pushSoon(hub: HubContext, log: FastifyBaseLogger): void {
  const state = stateOf(hub);
  if (state.stopped || state.timer) return;
  if (state.running) {
    state.asked = true;
    return;
  }
  const wait = Math.max(PUSH_DELAY_MS, state.lastAt + hub.config.cascadeNudgeGap * 1000 - Date.now());
  state.timer = setTimeout(() => {
    state.timer = null;
    state.running = true;
    state.lastAt = Date.now();
    const run = refreshAndNudge(hub)
      .catch((error: unknown) => log.warn({ err: error }, 'return-flow push failed'))
      .finally(() => {
        state.running = false;
        if (state.asked && !state.stopped) {
          state.asked = false;
          pushSoon(hub, log);
        }
      });
    trackReturnWork(hub, run);
  }, wait);
  state.timer.unref();
}

async function returnPush(app: FastifyInstance): Promise<void> {
  if (app.hub.config.role !== 'province') return;
  app.addHook('onResponse', async (request, reply) => {
    if (app.hub.config.cascadeNudgeGap === 0 || READS.has(request.method) || reply.statusCode >= 400) return;
    pushSoon(app.hub, app.log);
  });
  app.addHook('onClose', async () => {
    const state = stateOf(app.hub);
    state.stopped = true;
    if (state.timer) clearTimeout(state.timer);
    await returnWorkSettled(app.hub);
  });
}

/** Not encapsulated, so the hook sees every route: register it before the route modules. */
export const cascadeReturnPushPlugin = fp(returnPush, {
  name: 'minjiang-cascade-return-push',
  dependencies: ['minjiang-store'],
});
