import { itemRules } from './catalog/item-rules.js';
import { resourceRules } from './catalog/resource-rules.js';
import { applicationMessages } from './messages/application.js';
import { auditMessages } from './messages/audit.js';
import { cascadeMessages } from './messages/cascade.js';
import { returnMessages } from './cascade/row-page-messages.js';
import { catalogMessages } from './messages/catalog.js';
import { gradingMessages } from './grading/messages.js';
import { gradingPolicyRules } from './grading/policy-rules.js';
import { demandMessages } from './messages/demand.js';
import { exchangeMessages } from './messages/exchange.js';
import { governanceMessages } from './messages/governance.js';
import { identityMessages } from './messages/identity.js';
import type { MessageDef } from './messages/message.js';
import { schemaMessages } from './messages/schema.js';
import { openApplicationRules, sharingApplicationRules } from './rules/application.js';
import { checkpointRules, leafRules } from './rules/audit.js';
import { feedItemRules } from './rules/cascade.js';
import { demandRules } from './rules/demand.js';
import { envelopeRules, errorRules } from './rules/exchange.js';
import { grantRules } from './rules/grant.js';
import { packageRules } from './rules/package.js';
import { correctionRules, problemRecordRules } from './rules/governance.js';
import { organisationRules } from './rules/identity.js';
import type { Rule } from './rules/rule.js';
import type { SchemaName } from './schemas.js';

/** Every stable code with its messages: schema keywords, then each standard's rules. */
export const MESSAGES: Readonly<Record<string, MessageDef>> = {
  ...schemaMessages,
  ...catalogMessages,
  ...identityMessages,
  ...demandMessages,
  ...applicationMessages,
  ...exchangeMessages,
  ...governanceMessages,
  ...auditMessages,
  ...cascadeMessages,
  ...returnMessages,
  ...gradingMessages,
};

/** The cross-field rules of each schema, run after the schema passes. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each list is typed by its own module
export const RULES: Partial<Record<SchemaName, readonly Rule<any>[]>> = {
  'catalog-resource': [...resourceRules, ...itemRules],
  organisation: organisationRules,
  demand: demandRules,
  'sharing-application': sharingApplicationRules,
  'open-application': openApplicationRules,
  grant: grantRules,
  'exchange-envelope': envelopeRules,
  'exchange-error': errorRules,
  'problem-record': problemRecordRules,
  correction: correctionRules,
  'package-descriptor': packageRules,
  'audit-leaf': leafRules,
  'audit-checkpoint': checkpointRules,
  'cascade-feed-item': feedItemRules,
  'grading-policy': gradingPolicyRules,
};
