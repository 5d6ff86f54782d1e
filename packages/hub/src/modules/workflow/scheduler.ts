/**
 * The hub's scheduler: every `schedulerInterval` seconds it sweeps missed deadlines of
 * applications, demands and problem tickets, delivers due webhook notifications and forgets
 * expired nonces. Each step claims its rows
 * with conditional updates, so several hub processes may run it at once; a run that is still
 * going when the next tick comes is not doubled in this process.
 */
import type { FastifyInstance } from 'fastify';
import type { HubContext } from '../../plugins/store.js';
import { sweepDemands } from '../demand/deadlines.js';
import { sweepTickets } from '../governance/ticket-deadlines.js';
import { dispatchDue } from '../notifications/dispatcher.js';
import { purgeNonces } from '../exchange/release.js';
import { sweepApplications } from '../sharing/deadlines.js';
import { sweepCascade } from '../cascade/sync-sweep.js';
import { sweepReturn } from '../cascade/return-sweep.js';

/** One round: deadlines first, so their notifications go out in the same round. */
export async function sweepOnce(hub: HubContext, now: Date) {
  const applications = await sweepApplications(hub, now);
  const demands = await sweepDemands(hub, now);
  const tickets = await sweepTickets(hub, now);
  const deliveries = await dispatchDue(hub, now);
  // Nonces past the replay window no longer protect anything.
  await purgeNonces(hub, now);
  // Last: pulling child hubs' feeds waits on the network, the steps above do not.
  const cascade = await sweepCascade(hub, now);
  // The return flow 回流: a province refreshes and nudges, a city pulls (each on its interval).
  const returnFlow = await sweepReturn(hub, now);
  return { applications, demands, tickets, deliveries, cascade, returnFlow };
}

/** Starts the interval on a hub that serves requests; it stops when the app closes. */
export function startScheduler(app: FastifyInstance): void {
  const seconds = app.hub.config.schedulerInterval;
  if (seconds === 0) return;
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweepOnce(app.hub, app.hub.now())
      .catch((error: unknown) => app.log.error({ err: error }, 'scheduler round failed'))
      .finally(() => {
        running = false;
      });
  }, seconds * 1000);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));
}
