import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkOrgCode, checkResidentId, checkUscc } from './index.js';
import type { CheckResult } from './index.js';

const CHECKS = { checkResidentId, checkUscc, checkOrgCode } as const;

/** The result contract: ok is a boolean; failures carry a CHK- code and a message. */
function assertContract(result: CheckResult): void {
  expect(typeof result.ok).toBe('boolean');
  if (result.ok) {
    expect(result.code).toBeUndefined();
    expect(typeof result.normalized).toBe('string');
  } else {
    expect(result.code).toMatch(/^CHK-[A-Z]+(-[A-Z]+)?$/);
    expect(typeof result.message).toBe('string');
  }
}

/** Strings that look roughly like identifiers, so that later stages of the checks are reached. */
const identifierLike = fc.string({
  unit: fc.constantFrom(...'0123456789XxABCDEFGHIJKLMNOPQRSTUVWXYZ- \u3000０１Ｘ'.split('')),
  minLength: 0,
  maxLength: 22,
});

describe.each(Object.entries(CHECKS))('%s', (_name, check) => {
  it('never throws on arbitrary values and always returns the result shape', () => {
    fc.assert(
      fc.property(
        fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true }),
        (value) => {
          assertContract(check(value));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never throws on arbitrary strings, identifier-like strings, or odd options', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary' }), identifierLike),
        fc.anything(),
        (value, options) => {
          assertContract(check(value, options as never));
          assertContract(check(value, { lang: 'en' }));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('copes with a huge string without echoing it back', () => {
    const result = check(`${'9'.repeat(5_000_000)}`);
    expect(result.ok).toBe(false);
    expect(result.normalized).toBeUndefined();
    expect(result.message?.length).toBeLessThan(200);
  });

  it('copes with lone surrogates and control characters', () => {
    for (const value of ['\uD800'.repeat(18), '\u0000'.repeat(18), '123456789012345\uDC00\uD83D\uDE00']) {
      assertContract(check(value));
    }
  });
});

describe('hostile inputs', () => {
  it('survives revoked proxies as value or options', () => {
    const { proxy, revoke } = Proxy.revocable<object>({}, {});
    revoke();
    for (const check of Object.values(CHECKS)) {
      assertContract(check(proxy));
      assertContract(check('360426199101010071', proxy));
      assertContract(checkResidentId('360426199101010071', { now: proxy as Date }));
    }
  });
});
