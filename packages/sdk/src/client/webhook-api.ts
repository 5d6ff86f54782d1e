import { encodePath } from './path.js';
import type { Transport } from './transport.js';

/** The events a webhook can ask for (docs/sharing-api.md, "Webhooks"); `*` is every one. */
export const WEBHOOK_EVENTS = [
  'application.action_needed',
  'application.decision',
  'application.sla_breach',
  'demand.action_needed',
  'demand.decision',
  'demand.sla_breach',
  'ticket.sla_breach',
] as const;

export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number] | '*';

/** A webhook as the hub lists it: never with its secret. */
export interface Webhook {
  id: string;
  /** The organisation it belongs to. */
  org: string;
  url: string;
  events: WebhookEvent[];
  /** Registered by an admin: it also receives what the platform (主管部门) must act on. */
  platform: boolean;
  createdAt: string;
  /** Set once removed. */
  disabledAt?: string;
}

/** The answer to a registration: the only time the hub shows the signing secret. */
export interface RegisteredWebhook extends Webhook {
  secret: string;
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One notification on its way to (or done with) a webhook. */
export interface WebhookDelivery {
  id: string;
  event: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: string;
  /** The receiver's status (`HTTP 500`) or the connection error of the last failed attempt. */
  lastError?: string;
  createdAt: string;
  deliveredAt?: string;
}

export interface WebhookInput {
  /** http(s), without a user name or password. */
  url: string;
  /** Default: every event. */
  events?: WebhookEvent[];
}

/**
 * The webhook routes as `client.webhooks.*`. Receivers check each delivery with
 * `verifyWebhookSignature` (exported by this package) and the secret `register` returned.
 */
export class WebhookApi {
  constructor(private readonly transport: Transport) {}

  /**
   * Registers a webhook for the caller's organisation (a platform webhook for an admin). Not
   * retried: a retry after a lost answer would leave a second webhook whose secret nobody saw.
   */
  async register(input: WebhookInput, options: { signal?: AbortSignal } = {}): Promise<RegisteredWebhook> {
    const { data } = await this.transport.request<RegisteredWebhook>({
      method: 'POST',
      path: '/api/v1/webhooks',
      body: input,
      maxRetries: 0,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return data;
  }

  /** Active webhooks, newest first: the organisation's (admins and auditors: all). */
  list(query: { limit?: number } = {}): AsyncGenerator<Webhook> {
    return this.pages<Webhook>('/api/v1/webhooks', query);
  }

  /** Removes a webhook: nothing more is sent to it. Removing it again is harmless. */
  async remove(id: string): Promise<Webhook> {
    const path = encodePath`/api/v1/webhooks/${id}`;
    return (await this.transport.request<Webhook>({ method: 'DELETE', path })).data;
  }

  /** The deliveries of a webhook, newest first. */
  deliveries(
    id: string,
    query: { status?: WebhookDeliveryStatus; limit?: number } = {},
  ): AsyncGenerator<WebhookDelivery> {
    return this.pages<WebhookDelivery>(encodePath`/api/v1/webhooks/${id}/deliveries`, query);
  }

  private async *pages<T>(
    path: string,
    query: Record<string, string | number | undefined>,
  ): AsyncGenerator<T> {
    let cursor: string | undefined;
    do {
      const { data } = await this.transport.request<{ items: T[]; next?: string }>({
        method: 'GET',
        path,
        query: { ...query, cursor },
      });
      yield* data.items;
      cursor = data.next;
    } while (cursor !== undefined);
  }
}
