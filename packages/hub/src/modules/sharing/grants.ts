/**
 * Grants: what an approval issues — the ODRL Agreement of exchange/grant-1.0, checked against
 * the standard and signed by the hub as a DSSE envelope — and how grants read.
 */
import { canonicalJson, signDsse, sm3Hex, validateGrant } from '@minjiang/standards';
import type { Selectable, Transaction } from 'kysely';
import type { GrantStatus, GrantTable } from '../../db/schema-sharing.js';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors.js';
import { workflowId, type WorkflowScope } from '../workflow/events.js';
import type { ApplicationRow, Mode, Period, Quota } from './records.js';
import { fieldNames, type PublishedResource } from './resource-terms.js';

export const GRANT_PAYLOAD_TYPE = 'application/vnd.ses.grant+json;v=1';
const CHINA = '+08:00';

export type GrantRow = Selectable<GrantTable>;

/** What is granted: the request as approved, or the offer as accepted. */
export interface GrantTerms {
  items: string[];
  mode: Mode;
  masking: string;
  quota: Quota;
  period: Period;
  rowFilter?: string | undefined;
  /** SM3 of the accepted offer, or of these terms when there was no offer. */
  offerDigest?: string;
}

export function termsDigest(terms: object): string {
  return `sm3:${sm3Hex(canonicalJson(terms))}`;
}

/** The start and end of a period of China dates, as instants. */
function validity(period: Period) {
  return {
    from: new Date(`${period.from}T00:00:00${CHINA}`).toISOString(),
    to: new Date(`${period.to}T23:59:59.999${CHINA}`).toISOString(),
  };
}

function constraints(resource: PublishedResource, purpose: string, terms: GrantTerms) {
  const list: { leftOperand: string; operator: string; rightOperand: unknown }[] = [
    { leftOperand: 'purpose', operator: 'eq', rightOperand: purpose },
    {
      leftOperand: 'dateTime',
      operator: 'lteq',
      rightOperand: { '@value': `${terms.period.to}T23:59:59${CHINA}`, '@type': 'xsd:dateTime' },
    },
    { leftOperand: 'ses:fields', operator: 'isAnyOf', rightOperand: fieldNames(resource, terms.items) },
    { leftOperand: 'ses:masking', operator: 'eq', rightOperand: terms.masking },
  ];
  if (terms.quota.perDay !== undefined)
    list.push({ leftOperand: 'ses:perDay', operator: 'lteq', rightOperand: terms.quota.perDay });
  if (terms.quota.perSecond !== undefined)
    list.push({ leftOperand: 'ses:perSecond', operator: 'lteq', rightOperand: terms.quota.perSecond });
  if (terms.rowFilter !== undefined)
    list.push({ leftOperand: 'ses:rowFilter', operator: 'eq', rightOperand: terms.rowFilter });
  return list;
}

/** The grant document; `target` is the provider's data service, or the dataset for a package. */
export function grantDocument(
  id: string,
  application: ApplicationRow,
  resource: PublishedResource,
  terms: GrantTerms,
  issued: Date,
) {
  const hub = application.provider_org.slice(0, 6);
  const dataset = `urn:ses:ds:${hub}:${resource.providerUscc}:${resource.code}`;
  const service = `${application.provider_org}/data/${resource.code.replace('/', '-')}/v${resource.version}`;
  const purpose = (JSON.parse(application.request) as { purposeCode: string }).purposeCode;
  return {
    '@context': ['http://www.w3.org/ns/odrl.jsonld', { ses: 'https://ses.example.gov.cn/ns#' }],
    '@type': 'Agreement',
    uid: id,
    'ses:application': application.id,
    'ses:offerDigest': terms.offerDigest ?? termsDigest(terms),
    assigner: application.provider_org,
    assignee: application.applicant_org,
    target: terms.mode === 'PACKAGE' ? dataset : service,
    'ses:dataset': dataset,
    'ses:share': application.share_type === 'UNCONDITIONAL' ? 'UNCONDITIONAL' : 'CONDITIONAL',
    'ses:mode': terms.mode,
    permission: [
      {
        action: terms.mode === 'VERIFY' ? 'ses:verify' : 'read',
        constraint: constraints(resource, purpose, terms),
        duty: [
          {
            action: 'delete',
            constraint: [{ leftOperand: 'elapsedTime', operator: 'lteq', rightOperand: 'P90D' }],
          },
        ],
      },
    ],
    prohibition: [{ action: 'distribute' }],
    'ses:issued': issued.toISOString(),
  };
}

/** Issues, checks against the standard, signs and stores a grant; answers its id. */
export async function issueGrant(
  trx: Transaction<Database>,
  scope: WorkflowScope,
  application: ApplicationRow,
  resource: PublishedResource,
  terms: GrantTerms,
): Promise<string> {
  const id = await workflowId(trx, scope, 'grant');
  const document = grantDocument(id, application, resource, terms, scope.now);
  const issues = validateGrant(document);
  if (issues.length > 0) {
    const error = new HubError('HUB_ERR_INTERNAL');
    error.cause = new Error(`grant ${id} breaks the standard: ${JSON.stringify(issues)}`);
    throw error;
  }
  const envelope = signDsse(scope.hub.key, GRANT_PAYLOAD_TYPE, document);
  const { from, to } = validity(terms.period);
  const at = scope.now.toISOString();
  await trx
    .insertInto('grants')
    .values({
      id,
      application_id: application.id,
      assigner_org: application.provider_org,
      assignee_org: application.applicant_org,
      resource_code: resource.code,
      resource_version: resource.version,
      mode: terms.mode,
      items: JSON.stringify(terms.items),
      purpose_code: (JSON.parse(application.request) as { purposeCode: string }).purposeCode,
      masking: terms.masking,
      row_filter: terms.rowFilter ?? null,
      per_day: terms.quota.perDay ?? null,
      per_second: terms.quota.perSecond ?? null,
      valid_from: from,
      valid_to: to,
      status: 'active',
      envelope: JSON.stringify(envelope),
      issued_at: at,
      updated_at: at,
    })
    .execute();
  return id;
}

export async function setGrantStatus(
  trx: Transaction<Database>,
  id: string | null,
  status: GrantStatus,
  now: Date,
): Promise<void> {
  if (id === null) return;
  await trx
    .updateTable('grants')
    .set({ status, updated_at: now.toISOString() })
    .where('id', '=', id)
    .execute();
}

export function grantView(row: GrantRow) {
  const envelope = JSON.parse(row.envelope) as { payload: string };
  return {
    id: row.id,
    application: row.application_id,
    status: row.status,
    assigner: row.assigner_org,
    assignee: row.assignee_org,
    resourceCode: row.resource_code,
    resourceVersion: Number(row.resource_version),
    mode: row.mode,
    items: JSON.parse(row.items) as string[],
    purposeCode: row.purpose_code,
    masking: row.masking,
    ...(row.row_filter !== null ? { rowFilter: row.row_filter } : {}),
    quota: {
      ...(row.per_day !== null ? { perDay: Number(row.per_day) } : {}),
      ...(row.per_second !== null ? { perSecond: Number(row.per_second) } : {}),
    },
    validFrom: row.valid_from,
    validTo: row.valid_to,
    issuedAt: row.issued_at,
    envelope: JSON.parse(row.envelope) as unknown,
    document: JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as unknown,
  };
}
