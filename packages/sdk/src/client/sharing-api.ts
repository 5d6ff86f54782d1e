import { randomUUID } from 'node:crypto';
import { waitForDecision, type DecisionWaitOptions } from '../sharing/wait.js';
import { encodePath } from './path.js';
import type { Transport } from './transport.js';
import type {
  AcceptBody,
  Application,
  ApplicationAction,
  ApplicationListQuery,
  ApplicationSummary,
  ApproveBody,
  CredentialInfo,
  DecisionWait,
  GrantView,
  IssuedCredential,
  NewApplication,
  OfferBody,
  WorkflowMessage,
} from './sharing-types.js';

const APPLICATIONS = '/api/v1/applications';
const GRANTS = '/api/v1/grants';

/** A workflow message that must say why (the hub answers 422 without one). */
export interface ReasonedMessage extends WorkflowMessage {
  reason: string;
}

/**
 * Sharing applications (共享申请), their transitions, grants and credentials
 * (docs/sharing-api.md). Every transition carries a fresh `messageId` unless one is given, and
 * sends it as the idempotency key too, so a retried request is recorded once.
 */
export class SharingApi {
  constructor(private readonly transport: Transport) {}

  /** Files an application; submitted at once unless `submit: false` (a DRAFT). */
  async createApplication(body: NewApplication): Promise<Application> {
    const { data } = await this.transport.request<Application>({ method: 'POST', path: APPLICATIONS, body });
    return data;
  }

  /** Every application the caller may see, newest first, page after page. */
  async *listApplications(query: ApplicationListQuery = {}): AsyncGenerator<ApplicationSummary> {
    let cursor: string | undefined;
    do {
      const { data } = await this.transport.request<{ items: ApplicationSummary[]; next?: string | null }>({
        method: 'GET',
        path: APPLICATIONS,
        query: { ...query, cursor },
      });
      yield* data.items;
      cursor = data.next ?? undefined;
    } while (cursor !== undefined);
  }

  async getApplication(id: string): Promise<Application> {
    const path = `${APPLICATIONS}${encodePath`/${id}`}`;
    return (await this.transport.request<Application>({ method: 'GET', path })).data;
  }

  /** The application as the standards document `application/sharing-application-1.0`. */
  async getApplicationDocument(id: string): Promise<Record<string, unknown>> {
    const path = `${APPLICATIONS}${encodePath`/${id}`}/document`;
    return (await this.transport.request<Record<string, unknown>>({ method: 'GET', path })).data;
  }

  /** `POST /applications/{id}/{action}` with a message id. */
  async transition(id: string, action: ApplicationAction, body: WorkflowMessage = {}): Promise<Application> {
    const message = { ...body, messageId: body.messageId ?? randomUUID() };
    const { data } = await this.transport.request<Application>({
      method: 'POST',
      path: `${APPLICATIONS}${encodePath`/${id}/${action}`}`,
      body: message,
      idempotencyKey: message.messageId,
    });
    return data;
  }

  /** DRAFT → PRECHECK (the applicant's officer). */
  submit(id: string, body: WorkflowMessage = {}): Promise<Application> {
    return this.transition(id, 'submit', body);
  }

  /** The admin at PRECHECK or ESCALATED, the provider's reviewer at PROVIDER_REVIEW. */
  approve(id: string, body: ApproveBody = {}): Promise<Application> {
    return this.transition(id, 'approve', body);
  }

  /** The provider's reviewer counters with narrower terms: PROVIDER_REVIEW → OFFERED. */
  offer(id: string, body: OfferBody): Promise<Application> {
    return this.transition(id, 'offer', body);
  }

  reject(id: string, body: ReasonedMessage): Promise<Application> {
    return this.transition(id, 'reject', body);
  }

  /** The applicant accepts the offer it read, echoing its id and digest. */
  accept(id: string, body: AcceptBody): Promise<Application> {
    return this.transition(id, 'accept', body);
  }

  /** REJECTED → ESCALATED: the applicant asks the 主管部门 to decide. */
  escalate(id: string, body: ReasonedMessage): Promise<Application> {
    return this.transition(id, 'escalate', body);
  }

  withdraw(id: string, body: WorkflowMessage = {}): Promise<Application> {
    return this.transition(id, 'withdraw', body);
  }

  suspend(id: string, body: ReasonedMessage): Promise<Application> {
    return this.transition(id, 'suspend', body);
  }

  resume(id: string, body: WorkflowMessage = {}): Promise<Application> {
    return this.transition(id, 'resume', body);
  }

  revoke(id: string, body: ReasonedMessage): Promise<Application> {
    return this.transition(id, 'revoke', body);
  }

  /**
   * Polls until the application is approved (APPROVED, ACTIVE), refused (REJECTED, WITHDRAWN,
   * EXPIRED, REVOKED) or the time is up (pending).
   */
  waitForDecision(id: string, options: DecisionWaitOptions = {}): Promise<DecisionWait> {
    return waitForDecision((at) => this.getApplication(at), id, options);
  }

  async getGrant(id: string): Promise<GrantView> {
    const path = `${GRANTS}${encodePath`/${id}`}`;
    return (await this.transport.request<GrantView>({ method: 'GET', path })).data;
  }

  /**
   * Issues the grant's credential; the secret is in this answer only. `rotate` replaces an active one;
   * `publicKey` registers an SM2 key instead of an HMAC secret (the only kind a routed grant takes).
   */
  async issueCredential(
    grant: string,
    options: { rotate?: boolean; publicKey?: string } = {},
  ): Promise<IssuedCredential> {
    const { data } = await this.transport.request<IssuedCredential>({
      method: 'POST',
      path: `${GRANTS}${encodePath`/${grant}`}/credentials`,
      body: {
        ...(options.rotate ? { rotate: true } : {}),
        ...(options.publicKey !== undefined ? { publicKey: options.publicKey } : {}),
      },
      // A retried issue could mint a second secret the caller never sees: never retried.
      maxRetries: 0,
    });
    return data;
  }

  async listCredentials(grant: string): Promise<CredentialInfo[]> {
    const path = `${GRANTS}${encodePath`/${grant}`}/credentials`;
    return (await this.transport.request<{ items: CredentialInfo[] }>({ method: 'GET', path })).data.items;
  }

  async revokeCredential(grant: string, appKey: string): Promise<CredentialInfo> {
    const path = `${GRANTS}${encodePath`/${grant}/credentials/${appKey}`}`;
    return (await this.transport.request<CredentialInfo>({ method: 'DELETE', path })).data;
  }
}
