import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The `Minjiang-Signature` header of webhook deliveries (docs/sharing-api.md, "Webhooks"):
 * `t=<unix seconds>,v1=<hex HMAC-SM3(secret, "<t>.<body>")>`. The hub signs with it and receivers
 * verify with it, so both sides share one definition. The timestamp is inside the MAC, so an old
 * delivery cannot be replayed once it leaves the tolerance window.
 */
export const WEBHOOK_SIGNATURE_HEADER = 'minjiang-signature';

/** How far a signature's time may be from the receiver's clock (5 minutes, as is customary). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

const HEX_MAC = /^[0-9a-f]{64}$/;

function mac(secret: string, timestamp: number, body: string | Uint8Array): string {
  return createHmac('sm3', secret).update(`${timestamp}.`).update(body).digest('hex');
}

/** The header value for a body sent at `timestamp` (unix seconds). */
export function signWebhook(secret: string, body: string | Uint8Array, timestamp: number): string {
  return `t=${timestamp},v1=${mac(secret, timestamp, body)}`;
}

/** The timestamp and the v1 MACs of a header (several when a sender signs with more than one secret). */
function parseHeader(header: string): { timestamp: number; macs: string[] } | undefined {
  let timestamp: number | undefined;
  const macs: string[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && value !== undefined && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && value !== undefined && HEX_MAC.test(value)) macs.push(value);
  }
  return timestamp === undefined || macs.length === 0 ? undefined : { timestamp, macs };
}

export interface WebhookVerifyInput {
  /** The request body exactly as received (bytes or the same text): re-serialised JSON fails. */
  body: string | Uint8Array;
  /** The `Minjiang-Signature` header. */
  header: string | undefined;
  /** The secret shown when the webhook was registered. */
  secret: string;
  /** The receiver's clock (default: now). */
  now?: Date;
  toleranceSeconds?: number;
}

export type WebhookVerification =
  { valid: true; timestamp: number } | { valid: false; reason: 'malformed' | 'stale' | 'mismatch' };

/**
 * Checks a delivery's signature: well-formed, within the tolerance window, and one v1 MAC equal
 * (in constant time) to the one computed with the secret.
 */
export function verifyWebhookSignature(input: WebhookVerifyInput): WebhookVerification {
  const parsed = input.header === undefined ? undefined : parseHeader(input.header);
  if (!parsed) return { valid: false, reason: 'malformed' };
  const nowSeconds = Math.floor((input.now ?? new Date()).getTime() / 1000);
  const tolerance = input.toleranceSeconds ?? WEBHOOK_TOLERANCE_SECONDS;
  if (Math.abs(nowSeconds - parsed.timestamp) > tolerance) return { valid: false, reason: 'stale' };
  const expected = Buffer.from(mac(input.secret, parsed.timestamp, input.body), 'hex');
  const matches = parsed.macs.some((given) => timingSafeEqual(Buffer.from(given, 'hex'), expected));
  return matches ? { valid: true, timestamp: parsed.timestamp } : { valid: false, reason: 'mismatch' };
}
