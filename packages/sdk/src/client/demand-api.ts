import { randomUUID } from 'node:crypto';
import { encodePath } from './path.js';
import type { NextStep } from './sharing-types.js';
import type { Transport } from './transport.js';

const DEMANDS = '/api/v1/demands';

export type DemandState =
  'DRAFT' | 'SUBMITTED' | 'ROUTED' | 'CLAIMED' | 'FULFILLED' | 'DECLINED' | 'CLOSED' | 'WITHDRAWN';

export type DemandAction = 'submit' | 'route' | 'claim' | 'fulfil' | 'decline' | 'close' | 'withdraw';

export type DemandUrgency = 'NORMAL' | 'URGENT' | 'CRITICAL';

/** What a requester files (docs/sharing-api.md, "Demands"). */
export interface NewDemand {
  subject: string;
  description?: string;
  wantedItems: string[];
  purpose: string;
  legalBasis?: string;
  /** 政务服务 · 公共服务 · 监管 · 其他. */
  scenario: string;
  urgency: DemandUrgency;
  /** Member id of the organisation expected to provide it: the hub routes it there at once. */
  expectedProvider?: string;
  /** `YYYY-MM-DD`. */
  expectedDate?: string;
  contact: { name: string; phone: string };
  /** Default true; false keeps a DRAFT. */
  submit?: boolean;
}

/** One transition of a demand; the hub's own steps have `actor.system` (e.g. `deadline`). */
export interface DemandHistoryEntry {
  seq: number;
  action: string;
  from: DemandState | null;
  to: DemandState;
  actor: { org?: string | null; token?: string; system?: string };
  reason?: string;
  detail?: Record<string, unknown>;
  at: string;
}

export interface Demand extends Omit<NewDemand, 'submit'> {
  /** `urn:ses:demand:<hub>:<year>:<n>`. */
  id: string;
  requester: string;
  provider?: string;
  state: DemandState;
  fulfilment?: { resourceCode: string; note?: string; fulfilledAt: string };
  /** Why it was declined or withdrawn. */
  reason?: string;
  /** When the provider runs out of time (ROUTED, CLAIMED). */
  deadline?: string;
  /** When the hub found the deadline missed. */
  breachedAt?: string;
  /** Who must act, and by when. */
  next: NextStep;
  /** Only on a single demand, not in lists. */
  history?: DemandHistoryEntry[];
  createdAt: string;
  updatedAt: string;
}

export interface DemandListQuery {
  as?: 'requester' | 'provider';
  state?: DemandState;
  /** Page size (1–500). */
  limit?: number;
}

/** The fields every transition may carry. */
export interface DemandMessage {
  /** Sent fresh by every SDK call unless given: a retry with the same id records nothing. */
  messageId?: string;
  /** Refused with 409 when the demand is in another state. */
  expectedState?: DemandState;
}

export interface DemandReasonedMessage extends DemandMessage {
  reason: string;
}

export interface FulfilBody extends DemandMessage {
  /** A resource of the provider's organisation, whatever its status. */
  resourceCode: string;
  note?: string;
}

export interface RouteBody extends DemandMessage {
  /** Member id of the provider. */
  provider: string;
}

/**
 * Demands (数据需求) as `client.demands.*`. Every transition carries a fresh `messageId` unless
 * one is given, also sent as the idempotency key, so a retried request is recorded once.
 */
export class DemandApi {
  constructor(private readonly transport: Transport) {}

  /** Files a demand as the caller's organisation; submitted (or routed) at once unless `submit: false`. */
  async create(body: NewDemand): Promise<Demand> {
    return (await this.transport.request<Demand>({ method: 'POST', path: DEMANDS, body })).data;
  }

  /** Demands the caller may see, newest first, page after page. */
  async *list(query: DemandListQuery = {}): AsyncGenerator<Demand> {
    let cursor: string | undefined;
    do {
      const { data } = await this.transport.request<{ items: Demand[]; next?: string | null }>({
        method: 'GET',
        path: DEMANDS,
        query: { ...query, cursor },
      });
      yield* data.items;
      cursor = data.next ?? undefined;
    } while (cursor !== undefined);
  }

  /** One demand with its history and `next`. */
  async get(id: string): Promise<Demand> {
    return (await this.transport.request<Demand>({ method: 'GET', path: `${DEMANDS}${encodePath`/${id}`}` }))
      .data;
  }

  /** The demand as the standards document `demand/demand-1.0`. */
  async getDocument(id: string): Promise<Record<string, unknown>> {
    const path = `${DEMANDS}${encodePath`/${id}`}/document`;
    return (await this.transport.request<Record<string, unknown>>({ method: 'GET', path })).data;
  }

  /** `POST /demands/{id}/{action}` with a message id. */
  async transition(
    id: string,
    action: DemandAction,
    body: DemandMessage & Record<string, unknown> = {},
  ): Promise<Demand> {
    const message = { ...body, messageId: body.messageId ?? randomUUID() };
    const { data } = await this.transport.request<Demand>({
      method: 'POST',
      path: `${DEMANDS}${encodePath`/${id}/${action}`}`,
      body: message,
      idempotencyKey: message.messageId,
    });
    return data;
  }

  /** DRAFT → SUBMITTED, or ROUTED when it names an expected provider (the requester). */
  submit(id: string, body: DemandMessage = {}): Promise<Demand> {
    return this.transition(id, 'submit', { ...body });
  }

  /** SUBMITTED | ROUTED → ROUTED to a provider (admins); the provider's deadline starts. */
  route(id: string, body: RouteBody): Promise<Demand> {
    return this.transition(id, 'route', { ...body });
  }

  /** SUBMITTED | ROUTED → CLAIMED (an organisation other than the requester). */
  claim(id: string, body: DemandMessage = {}): Promise<Demand> {
    return this.transition(id, 'claim', { ...body });
  }

  /** ROUTED | CLAIMED → FULFILLED with a resource of the provider (the provider's officer). */
  fulfil(id: string, body: FulfilBody): Promise<Demand> {
    return this.transition(id, 'fulfil', { ...body });
  }

  /** ROUTED | CLAIMED → DECLINED, with a reason (the provider). */
  decline(id: string, body: DemandReasonedMessage): Promise<Demand> {
    return this.transition(id, 'decline', { ...body });
  }

  /** FULFILLED | DECLINED → CLOSED (the requester). */
  close(id: string, body: DemandMessage = {}): Promise<Demand> {
    return this.transition(id, 'close', { ...body });
  }

  /** Any open state → WITHDRAWN, with a reason (the requester). */
  withdraw(id: string, body: DemandReasonedMessage): Promise<Demand> {
    return this.transition(id, 'withdraw', { ...body });
  }
}
