/**
 * The return flow 回流 (docs/cascade-return.md): at a province an admin subscribes a child hub
 * to a resource's rows of its region and lists what it serves; at a city the admin pulls now and
 * reads its copies, each with its cursor and whether it matched the province's state digest.
 */
import type { Issue, Lang } from '@minjiang/standards';
import type { HubClient } from './client/hub-client.js';

/** A subscription as the province keeps it. */
export interface ReturnSubscription {
  id: string;
  child: string;
  resource: string;
  regionItem: string;
  prefix: string;
  items: string[];
  masking: string;
  grant: string | null;
  reason: string | null;
  state: 'ACTIVE' | 'REVOKED';
  head: number;
  createdBy?: string;
  createdAt?: string;
}

export type ReturnVerification = 'pending' | 'verified' | 'diverged';

/** A city's copy of one subscription. */
export interface ReturnCopy {
  subscription: string;
  parent: string;
  resource: string;
  regionItem?: string;
  prefix?: string;
  items?: string[];
  masking?: string;
  state: 'ACTIVE' | 'REVOKED';
  cursor: number;
  rows: number;
  stateDigest: string;
  parentHead?: number;
  parentRows?: number | null;
  parentDigest?: string | null;
  verification: ReturnVerification;
  lastSyncAt?: string | null;
  lastError?: { code: string; message: string; issues?: Issue[]; at?: string } | null;
}

export interface ReturnList {
  role: 'province' | 'city';
  subscriptions: ReturnSubscription[];
  copies: ReturnCopy[];
}

/** What one pull of one subscription did at the city. */
export interface ReturnPull {
  subscription: string;
  state: string;
  pages: number;
  applied: number;
  cursor: number;
  rows: number;
  verification: ReturnVerification;
  error: { code: string; message: string; issues?: Issue[] } | null;
}

export interface ReturnSubscribeInput {
  child: string;
  resource: string;
  regionItem: string;
  prefix: string;
  items?: string[];
  masking?: string;
  grant?: string;
  reason?: string;
}

const BASE = '/api/v1/cascade/return';

function headers(lang: Lang | undefined) {
  return lang === 'en' ? { headers: { 'accept-language': 'en' } } : {};
}

/** Admin, auditor: the subscriptions served (province) or the copies held (city). */
export async function returnList(client: HubClient, options: { lang?: Lang } = {}): Promise<ReturnList> {
  const { data } = await client.transport.request<ReturnList>({
    method: 'GET',
    path: BASE,
    ...headers(options.lang),
  });
  return data;
}

/** Province admin: subscribe a child hub to a resource's rows of its region. */
export async function subscribeReturn(
  client: HubClient,
  input: ReturnSubscribeInput,
  options: { lang?: Lang } = {},
): Promise<ReturnSubscription> {
  const { data } = await client.transport.request<ReturnSubscription>({
    method: 'POST',
    path: BASE,
    body: input,
    maxRetries: 0,
    ...headers(options.lang),
  });
  return data;
}

/** Province admin: end a subscription (the city drops its copy on its next pull). */
export async function revokeReturn(
  client: HubClient,
  id: string,
  reason: string,
  options: { lang?: Lang } = {},
): Promise<ReturnSubscription> {
  const { data } = await client.transport.request<ReturnSubscription>({
    method: 'POST',
    path: `${BASE}/${encodeURIComponent(id)}/revoke`,
    body: { reason },
    maxRetries: 0,
    ...headers(options.lang),
  });
  return data;
}

/** City admin: pull every subscription from the parent now; `full` copies again from the start. */
export async function syncReturn(
  client: HubClient,
  input: { full?: boolean } = {},
  options: { lang?: Lang } = {},
): Promise<ReturnPull[]> {
  const { data } = await client.transport.request<{ pulls: ReturnPull[] }>({
    method: 'POST',
    path: `${BASE}/sync`,
    body: { full: input.full === true },
    maxRetries: 0,
    ...headers(options.lang),
  });
  return data.pulls;
}
