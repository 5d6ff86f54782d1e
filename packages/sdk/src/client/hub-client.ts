import type { CatalogResource } from '@minjiang/standards';
import {
  sendBatch,
  sendReview,
  type BatchOptions,
  type BatchResult,
  type ReviewOptions,
} from './catalog-api.js';
import { DataApi } from './data-api.js';
import { WebhookApi } from './webhook-api.js';
import { SharingApi } from './sharing-api.js';
import { DemandApi } from './demand-api.js';
import { HubError } from './errors.js';
import { encodePath } from './path.js';
import { Transport, type HubResponse, type TransportOptions } from './transport.js';
import type {
  CatalogStatus,
  Caller,
  HubKey,
  ResourceView,
  TransitionAnswer,
  VersionHistory,
  WriteAnswer,
} from './types.js';

export { encodePath } from './path.js';

/** What `GET /api/v1/version` says. */
export interface HubVersion {
  version: string;
  apiVersion: string;
  hub: { code: string; role: 'province' | 'city' };
  capabilities: string[];
  caller?: { orgId: string; roles: string[] };
}

/** One resource as the catalog list shows it. */
export interface CatalogListItem {
  code: string;
  orgId: string;
  name: string;
  version: number;
  status: CatalogStatus;
  contentHash: string;
  etag: string;
  shareType?: string;
  openType?: string;
  grading?: string;
  updateCycle?: string;
  updatedAt?: string;
  document?: CatalogResource;
}

export interface CatalogListQuery {
  org?: string;
  status?: string;
  shareType?: string;
  openType?: string;
  grading?: string;
  updateCycle?: string;
  q?: string;
  limit?: number;
  document?: boolean;
}

/** Bodies of the review transitions. */
export type SubmitBody = Record<string, never>;
export type ApproveBody = Record<string, never>;
export interface RejectBody {
  reason: string;
}
export interface WithdrawBody {
  reason?: string;
  /** Which version (default: the latest if it can be withdrawn, else the published one). */
  version?: number;
}

/** The API version this SDK speaks. */
export const SDK_API_VERSION = 'v1';

const RESOURCES = '/api/v1/catalog/resources';

/**
 * A typed client of a Minjiang hub. Retries, timeouts, idempotency keys and typed errors live in
 * the transport; `fetch` may be injected, else undici's is used over a keep-alive agent.
 */
export class HubClient {
  readonly transport: Transport;
  /** Submissions, stored rows, problem tickets and quality scores (docs/data-api.md). */
  readonly data: DataApi;
  /** Webhook registrations and their deliveries (docs/sharing-api.md). */
  readonly webhooks: WebhookApi;
  /** Sharing applications, grants and credentials (docs/sharing-api.md). */
  readonly sharing: SharingApi;
  /** Demands (数据需求): filing, routing, fulfilment (docs/sharing-api.md). */
  readonly demands: DemandApi;

  constructor(options: TransportOptions) {
    this.transport = new Transport(options);
    this.data = new DataApi(this.transport);
    this.webhooks = new WebhookApi(this.transport);
    this.sharing = new SharingApi(this.transport);
    this.demands = new DemandApi(this.transport);
  }

  /** Releases the default fetch's idle connections (a no-op with an injected fetch). */
  async close(): Promise<void> {
    await this.transport.close();
  }

  /** The hub's version, role and capabilities. */
  async version(): Promise<HubVersion> {
    return (await this.transport.request<HubVersion>({ method: 'GET', path: '/api/v1/version' })).data;
  }

  /** Throws unless the hub speaks this SDK's API version and has every capability named. */
  async requireCapabilities(...capabilities: string[]): Promise<HubVersion> {
    const version = await this.version();
    const missing = capabilities.filter((capability) => !version.capabilities.includes(capability));
    if (version.apiVersion !== SDK_API_VERSION || missing.length > 0) {
      throw new HubError(
        'HUB-INCOMPATIBLE',
        `枢纽 ${version.hub.code}（API ${version.apiVersion}）缺少能力：${missing.join('、') || '-'}`,
        {
          hint: `需要 API ${SDK_API_VERSION} 及能力 ${capabilities.join(', ')}；请升级枢纽或使用匹配的 minjiang 版本。`,
        },
      );
    }
    return version;
  }

  /** The presented token: its organisation and roles. */
  async whoami(): Promise<Caller> {
    return (await this.transport.request<Caller>({ method: 'GET', path: '/api/v1/whoami' })).data;
  }

  /** The hub's public signing key, to verify receipts offline (pin it on first use). */
  async hubKey(): Promise<HubKey> {
    return (await this.transport.request<HubKey>({ method: 'GET', path: '/api/v1/hub/key' })).data;
  }

  /** Every resource the caller may see, page after page: `for await (const item of client.listResources())`. */
  async *listResources(query: CatalogListQuery = {}): AsyncGenerator<CatalogListItem> {
    let cursor: string | undefined;
    do {
      const { data } = await this.transport.request<{ items: CatalogListItem[]; next: string | null }>({
        method: 'GET',
        path: RESOURCES,
        query: { ...query, cursor },
      });
      yield* data.items;
      cursor = data.next ?? undefined;
    } while (cursor !== undefined);
  }

  /**
   * One resource with the metadata the hub owns (version, status, ETag, content hash): the latest
   * version for its organisation, the published one for others; `version` picks an older one.
   */
  async getResource(code: string, options: { version?: number } = {}): Promise<ResourceView> {
    const { data } = await this.transport.request<ResourceView>({
      method: 'GET',
      path: `${RESOURCES}${encodePath`/${code}`}`,
      query: { version: options.version },
    });
    return data;
  }

  /** Every version of a resource: status, who acted and when, and the reason given. */
  async listVersions(code: string): Promise<VersionHistory> {
    const path = `${RESOURCES}${encodePath`/${code}`}/versions`;
    return (await this.transport.request<VersionHistory>({ method: 'GET', path })).data;
  }

  /** Creates or updates one resource; `ifMatch` makes it conditional on the ETag last read. */
  async putResource(
    entry: CatalogResource,
    options: { ifMatch?: string; ifNoneMatch?: string; idempotencyKey?: string } = {},
  ): Promise<HubResponse<WriteAnswer>> {
    const headers: Record<string, string> = {
      ...(options.ifMatch ? { 'if-match': options.ifMatch } : {}),
      ...(options.ifNoneMatch ? { 'if-none-match': options.ifNoneMatch } : {}),
    };
    return this.transport.request<WriteAnswer>({
      method: 'PUT',
      path: `${RESOURCES}${encodePath`/${entry.code}`}`,
      body: entry,
      headers,
      ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}),
    });
  }

  /**
   * Creates or updates many resources through the batch route, split into requests of
   * `batchSize` (and smaller when the hub answers 413). Entries fail one by one, with their
   * own error, and `conditions` gives each entry the preconditions a PUT takes in headers.
   */
  async batchResources(entries: CatalogResource[], options: BatchOptions = {}): Promise<BatchResult> {
    return sendBatch(this.transport, entries, options);
  }

  /** Submits the draft for review (the owner's officer). */
  async submitResource(
    code: string,
    body: SubmitBody = {},
    options: ReviewOptions = {},
  ): Promise<TransitionAnswer> {
    return sendReview(this.transport, code, 'submit', body, options);
  }

  /** Publishes the submitted version (admins). */
  async approveResource(
    code: string,
    body: ApproveBody = {},
    options: ReviewOptions = {},
  ): Promise<TransitionAnswer> {
    return sendReview(this.transport, code, 'approve', body, options);
  }

  /** Rejects the submitted version, with a reason (admins). */
  async rejectResource(
    code: string,
    body: RejectBody,
    options: ReviewOptions = {},
  ): Promise<TransitionAnswer> {
    return sendReview(this.transport, code, 'reject', body, options);
  }

  /** Withdraws a draft, submitted or published version: the hub has no DELETE. */
  async withdrawResource(
    code: string,
    body: WithdrawBody = {},
    options: ReviewOptions = {},
  ): Promise<TransitionAnswer> {
    return sendReview(this.transport, code, 'withdraw', body, options);
  }
}
