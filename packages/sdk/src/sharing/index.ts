/** Sharing applications on the client side: waiting for a decision, verifying signed grants. */
export { waitForDecision, decisionOf, type DecisionWaitOptions } from './wait.js';
export { verifyGrantEnvelope, GrantSignatureError, GRANT_PAYLOAD_TYPE } from './grant-envelope.js';
export { checkGrant, type GrantCheck } from './grant-check.js';
export { readApplicationFile } from './application-file.js';
