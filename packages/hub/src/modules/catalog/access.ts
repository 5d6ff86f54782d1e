import type { Lang } from '@minjiang/standards';
import { HubError } from '../../errors.js';
import type { AuditEvent } from '../audit/log.js';
import type { Caller } from '../identity/tokens.js';

/** Who is reading, as far as visibility goes. */
export interface Viewer {
  orgId: string;
  /** Admins and auditors see every version of every resource. */
  privileged: boolean;
}

export function isAdmin(caller: Caller): boolean {
  return caller.roles.includes('admin');
}

export function viewerOf(caller: Caller): Viewer {
  return {
    orgId: caller.orgId,
    privileged: caller.roles.includes('admin') || caller.roles.includes('auditor'),
  };
}

/**
 * Whether a caller sees a resource's latest version (its owner organisation's tokens, admins and
 * auditors) or only its published one (everyone else).
 */
export function seesLatest(viewer: Viewer, ownerOrgId: string): boolean {
  return viewer.privileged || viewer.orgId === ownerOrgId;
}

/** Version statuses anyone may read: what is or was published. */
export const PUBLIC_STATUSES: readonly string[] = ['published', 'superseded'];

export function actorOf(caller: Caller): AuditEvent['actor'] {
  return { tokenId: caller.tokenId, orgId: caller.orgId, roles: caller.roles };
}

/** A 404 that does not tell outsiders whether an unpublished resource exists. */
export function resourceNotFound(code: string, lang: Lang, version?: number): HubError {
  const what = lang === 'en' ? 'catalog resource' : '目录资源';
  return new HubError('HUB_ERR_NOT_FOUND', {
    what,
    id: version === undefined ? code : `${code} v${version}`,
  });
}
