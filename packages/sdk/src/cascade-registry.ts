/**
 * The cascade registry (docs/cascade-api.md "Registration and approval"): at a city hub, register
 * with the configured parent and read what the parent says; at the province, list child hubs and
 * approve, reject or revoke them. The city's admin token registers; the province's admin decides;
 * admin or auditor read.
 */
import type { Lang } from '@minjiang/standards';
import type { HubClient } from './client/hub-client.js';

export type CascadeState = 'PENDING' | 'APPROVED' | 'REJECTED' | 'REVOKED';

/** A hub's node key as another hub pins it. */
export interface NodeKey {
  hub: string;
  keyId: string;
  publicKey: string;
}

/** A child hub in the province's registry. */
export interface CascadeChild {
  hub: string;
  name: string;
  region: string;
  baseUrl: string;
  keyId: string;
  publicKey: string;
  state: CascadeState;
  reason: string | null;
  registeredAt: string;
  decidedAt: string | null;
  /** Token id of the administrator who decided. */
  decidedBy: string | null;
}

/** A child with the province's sync figures (null before its first sync). */
export interface CascadeChildStatus extends CascadeChild {
  cursor: number | null;
  head: number | null;
  lastSyncAt: string | null;
  lastError: unknown;
  blocked: unknown;
}

/** A city's parent as the city holds it; its key is trusted for calls only once APPROVED. */
export interface CascadeParent {
  hub: string;
  baseUrl: string;
  state: CascadeState;
  reason: string | null;
  keyId: string | null;
  publicKey: string | null;
  registeredAt: string;
  updatedAt: string;
}

export interface CascadeParentStatus {
  parent: CascadeParent;
  /** What the parent answered just now (absent with `refresh: false`). */
  remote?: CascadeChildStatus & { parent?: NodeKey };
}

export interface CascadeRegistration {
  /** The hub's name, e.g. 福州市公共数据平台. */
  name: string;
  /** GB/T 2260 code of the area served; the hub code when absent. */
  region?: string;
  /** Where the parent reaches this hub's API. */
  baseUrl: string;
}

export type CascadeDecision = 'approve' | 'reject' | 'revoke';

export interface CascadeCallOptions {
  lang?: Lang;
}

const BASE = '/api/v1/cascade';

function headers(options: CascadeCallOptions) {
  return options.lang === 'en' ? { headers: { 'accept-language': 'en' } } : {};
}

/**
 * City: the hub signs a registration with its node key and sends it to its parent. Not retried:
 * the hub already waited for the parent, and a repeat signs afresh anyway.
 */
export async function registerWithParent(
  client: HubClient,
  registration: CascadeRegistration,
  options: CascadeCallOptions = {},
): Promise<CascadeParent> {
  const { data } = await client.transport.request<CascadeParent>({
    method: 'POST',
    path: `${BASE}/parent/register`,
    body: registration,
    maxRetries: 0,
    ...headers(options),
  });
  return data;
}

/** City: its parent, and (unless `refresh` is false) what the parent says now. */
export async function cascadeParentStatus(
  client: HubClient,
  query: { refresh?: boolean } = {},
  options: CascadeCallOptions = {},
): Promise<CascadeParentStatus> {
  const { data } = await client.transport.request<CascadeParentStatus>({
    method: 'GET',
    path: `${BASE}/parent`,
    query: query.refresh === false ? { refresh: false } : {},
    maxRetries: 0,
    ...headers(options),
  });
  return data;
}

/** Province: every child hub (optionally of one state), page after page. */
export async function* cascadeChildren(
  client: HubClient,
  query: { state?: CascadeState } = {},
  options: CascadeCallOptions = {},
): AsyncGenerator<CascadeChild> {
  let cursor: string | undefined;
  do {
    const { data } = await client.transport.request<{ items: CascadeChild[]; next?: string }>({
      method: 'GET',
      path: `${BASE}/children`,
      query: { ...query, limit: 500, ...(cursor ? { cursor } : {}) },
      ...headers(options),
    });
    yield* data.items;
    cursor = data.next;
  } while (cursor !== undefined);
}

/** Province: one child hub with its sync figures. */
export async function cascadeChild(
  client: HubClient,
  hub: string,
  options: CascadeCallOptions = {},
): Promise<CascadeChildStatus> {
  const { data } = await client.transport.request<CascadeChildStatus>({
    method: 'GET',
    path: `${BASE}/children/${encodeURIComponent(hub)}`,
    ...headers(options),
  });
  return data;
}

/** Province: approve, reject (reason) or revoke (reason) a child hub; the answer carries the province key. */
export async function decideCascadeChild(
  client: HubClient,
  hub: string,
  decision: CascadeDecision,
  input: { reason?: string } = {},
  options: CascadeCallOptions = {},
): Promise<CascadeChild & { parent: NodeKey }> {
  const { data } = await client.transport.request<CascadeChild & { parent: NodeKey }>({
    method: 'POST',
    path: `${BASE}/children/${encodeURIComponent(hub)}/${decision}`,
    body: input,
    ...headers(options),
  });
  return data;
}
