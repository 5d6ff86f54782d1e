import { openDsse, type Grant } from '@minjiang/standards';
import { MinjiangError } from '../core/errors.js';

/** The DSSE payload type of a signed grant (docs/sharing-api.md, Grants). */
export const GRANT_PAYLOAD_TYPE = 'application/vnd.ses.grant+json;v=1';

/** A grant envelope whose signature does not verify with the hub key, or that is no grant. */
export class GrantSignatureError extends MinjiangError {}

/**
 * Checks a grant's DSSE envelope offline (SM2-with-SM3 over the PAE, with the hub's public key)
 * and returns the signed grant document; throws `GrantSignatureError` otherwise. The standards'
 * `openDsse` does the PAE, so hub and client cannot disagree on the bytes signed.
 */
export function verifyGrantEnvelope(envelope: unknown, hubPublicKeyHex: string): Grant {
  const grant = openDsse(envelope, hubPublicKeyHex, GRANT_PAYLOAD_TYPE);
  if (grant === null || typeof grant !== 'object' || Array.isArray(grant)) {
    throw new GrantSignatureError(
      'GRANT-SIGNATURE-INVALID',
      '授权文件的签名未通过枢纽公钥验证（或不是授权文件）',
      {
        hint: '授权可能被篡改，或枢纽换了密钥；请勿使用，并向枢纽管理员核实枢纽公钥（GET /hub/key）。',
      },
    );
  }
  return grant as Grant;
}
