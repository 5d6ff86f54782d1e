import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXCHANGE_ERROR_STATUS } from '../rules/exchange.js';
import { validateEnvelope, validateExchangeError } from '../validate.js';
import { exchangeError, exchangeErrorBody, exchangeErrors } from './errors.js';

const REQUEST_ID = '0197c0de-5a1b-7c3e-9f00-3b1d2c4e5f60';

describe('exchangeErrors', () => {
  it('lists exactly the CLI. and HUB. codes of the error schema, with the statuses of the rules', () => {
    const schema = JSON.parse(
      readFileSync(new URL('../../schemas/exchange/error-1.0.json', import.meta.url), 'utf8'),
    ) as { else: { properties: { code: { then: { enum: string[] } } } } };
    const codes = [...exchangeErrors().keys()];
    expect(codes).toEqual(schema.else.properties.code.then.enum);
    expect(codes.sort()).toEqual(Object.keys(EXCHANGE_ERROR_STATUS).sort());
    for (const def of exchangeErrors().values()) {
      expect(EXCHANGE_ERROR_STATUS[def.code], def.code).toContain(def.httpStatus);
      expect(def.code.startsWith(`${def.origin}.`), def.code).toBe(true);
    }
  });

  it('makes error bodies and envelopes that validate, in both languages', () => {
    for (const code of exchangeErrors().keys()) {
      for (const lang of ['zh-CN', 'en'] as const) {
        const body = exchangeErrorBody(code, REQUEST_ID, lang);
        const withRetry = body.httpStatus === 429 ? { ...body, retryAfter: 1 } : body;
        expect(validateExchangeError(withRetry), `${code} ${lang}`).toEqual([]);
        const { code: c, msg, requestId, hint } = body;
        expect(validateEnvelope({ code: c, msg, requestId, hint }), code).toEqual([]);
      }
    }
  });

  it('gives the §8.3 statuses', () => {
    expect(exchangeError('CLI.DIGEST_MISMATCH')).toMatchObject({ httpStatus: 400, origin: 'CLI' });
    expect(exchangeError('CLI.NONCE_REPLAY')).toMatchObject({
      httpStatus: 401,
      zh: '重复的请求随机数（疑似重放）',
    });
    expect(exchangeError('HUB.LOG_UNAVAILABLE')?.httpStatus).toBe(503);
    expect(exchangeError('PRV.ANYTHING')).toBeUndefined();
    expect(() => exchangeErrorBody('CLI.TYPO', REQUEST_ID)).toThrow('Unknown exchange error code');
  });
});
