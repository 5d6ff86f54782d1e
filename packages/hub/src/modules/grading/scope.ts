import type { Lang } from '@minjiang/standards';
import type { HubContext } from '../../plugins/store.js';
import type { Caller } from '../identity/tokens.js';
import type { AuditEvent } from '../audit/log.js';
import type { GradingSetup } from './setup.js';

/** Who acts, when, in which language, with which policy and rules. */
export interface GradingScope {
  hub: HubContext;
  caller: Caller;
  now: Date;
  lang: Lang;
  setup: GradingSetup;
}

export function actorOf(caller: Caller): AuditEvent['actor'] {
  return { tokenId: caller.tokenId, orgId: caller.orgId, roles: caller.roles };
}

export function auditContext(scope: GradingScope) {
  return { hubCode: scope.hub.config.hubCode, engine: scope.hub.store.engine, now: scope.now };
}
