import type { CatalogResource } from '@minjiang/standards';
import { HubError } from './errors.js';
import { Transport, type TransportOptions } from './transport.js';

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
  status: string;
  contentHash: string;
  etag: string;
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

/** Path segments are always encoded: a resource code's "/" travels as %2F. */
export function encodePath(strings: TemplateStringsArray, ...values: (string | number)[]): string {
  return strings.reduce(
    (path, part, index) =>
      path + part + (index < values.length ? encodeURIComponent(String(values[index])) : ''),
    '',
  );
}

/** The API version this SDK speaks. */
export const SDK_API_VERSION = 'v1';

/**
 * A typed client of a Minjiang hub. `fetch` is injected (global fetch by default); retries,
 * timeouts, idempotency keys and typed errors live in the transport.
 */
export class HubClient {
  readonly transport: Transport;

  constructor(options: TransportOptions) {
    this.transport = new Transport(options);
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

  /** Every resource the caller may see, page after page: `for await (const item of client.listResources())`. */
  async *listResources(query: CatalogListQuery = {}): AsyncGenerator<CatalogListItem> {
    let cursor: string | undefined;
    do {
      const { data } = await this.transport.request<{ items: CatalogListItem[]; next: string | null }>({
        method: 'GET',
        path: '/api/v1/catalog/resources',
        query: { ...query, cursor },
      });
      yield* data.items;
      cursor = data.next ?? undefined;
    } while (cursor !== undefined);
  }

  /** Creates or updates one resource; `ifMatch` makes it conditional on the ETag last read. */
  async putResource(entry: CatalogResource, options: { ifMatch?: string; idempotencyKey?: string } = {}) {
    const headers: Record<string, string> = options.ifMatch ? { 'if-match': options.ifMatch } : {};
    return this.transport.request<Record<string, unknown>>({
      method: 'PUT',
      path: encodePath`/api/v1/catalog/resources/${entry.code}`,
      body: entry,
      headers,
      ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}),
    });
  }
}
