import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhookSignature } from './webhook-signature.js';

const secret = 'whsec_test';
const body = '{"event":"demand.decision","hub":"350000"}';
const t = 1_790_000_000;
const at = (seconds: number) => new Date(seconds * 1000);

describe('webhook signatures (HMAC-SM3)', () => {
  it('signs "<t>.<body>" with HMAC-SM3 in the documented header form', () => {
    const expected = createHmac('sm3', secret).update(`${t}.${body}`).digest('hex');
    expect(signWebhook(secret, body, t)).toBe(`t=${t},v1=${expected}`);
    expect(signWebhook(secret, new TextEncoder().encode(body), t)).toBe(`t=${t},v1=${expected}`);
  });

  it('verifies a fresh signature, from bytes or text', () => {
    const header = signWebhook(secret, body, t);
    expect(verifyWebhookSignature({ body, header, secret, now: at(t + 10) })).toEqual({
      valid: true,
      timestamp: t,
    });
    const bytes = Buffer.from(body);
    expect(verifyWebhookSignature({ body: bytes, header, secret, now: at(t - 10) }).valid).toBe(true);
  });

  it('refuses another secret, a changed body, a stale time and a malformed header', () => {
    const header = signWebhook(secret, body, t);
    const check = (input: Partial<Parameters<typeof verifyWebhookSignature>[0]>) =>
      verifyWebhookSignature({ body, header, secret, now: at(t), ...input });
    expect(check({ secret: 'whsec_other' })).toEqual({ valid: false, reason: 'mismatch' });
    expect(check({ body: body.replace('350000', '350100') })).toEqual({ valid: false, reason: 'mismatch' });
    expect(check({ now: at(t + 301) })).toEqual({ valid: false, reason: 'stale' });
    expect(check({ now: at(t + 3600), toleranceSeconds: 7200 }).valid).toBe(true);
    for (const bad of [undefined, '', `t=${t}`, 'v1=abc', `t=x,v1=${'0'.repeat(64)}`])
      expect(check({ header: bad })).toEqual({ valid: false, reason: 'malformed' });
  });

  it('accepts any one of several v1 MACs (a sender rotating its secret)', () => {
    const own = signWebhook(secret, body, t).split(',')[1];
    const other = signWebhook('whsec_old', body, t).split(',')[1];
    const header = `t=${t},${other},${own}`;
    expect(verifyWebhookSignature({ body, header, secret, now: at(t) }).valid).toBe(true);
  });
});
