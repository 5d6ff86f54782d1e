import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Issue } from './issues.js';
import { MESSAGES } from './registry.js';
import { SCHEMA_NAMES } from './schemas.js';
import * as api from './validate.js';

const validators = Object.entries(api).filter(
  (entry): entry is [string, (document: unknown, options?: api.DocumentValidateOptions) => Issue[]] =>
    entry[0].startsWith('validate') && entry[0] !== 'validateDocument' && typeof entry[1] === 'function',
);

function wellFormed(issues: Issue[]): boolean {
  return issues.every(
    (issue) =>
      MESSAGES[issue.code] !== undefined &&
      (issue.severity === 'error' || issue.severity === 'warning') &&
      (issue.location === '' || issue.location.startsWith('/')) &&
      issue.message.length > 0,
  );
}

const fullResource = JSON.parse(
  readFileSync(new URL('../../../fixtures/catalog-resource/valid/full.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

describe('validators never throw', () => {
  it('exports a validator for every schema', () => {
    expect(validators.length).toBe(SCHEMA_NAMES.length);
  });

  it.each(validators)('%s returns well-formed issues for any value', (_name, validate) => {
    fc.assert(
      fc.property(
        fc.anything({ withNullPrototype: true, withBigInt: true, withDate: true, withMap: true }),
        (value) => {
          const issues = validate(value, { lang: 'en' });
          return Array.isArray(issues) && wellFormed(issues);
        },
      ),
      { numRuns: 300 },
    );
  });

  it.each(validators)('%s returns well-formed issues for any JSON object', (_name, validate) => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (value) => wellFormed(validate(value))),
      { numRuns: 300 },
    );
  });

  it('survives any value put in any field of a valid catalog entry', () => {
    const keys = Object.keys(fullResource);
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.jsonValue(), (key, value) => {
        const issues = api.validateCatalogEntry({ ...fullResource, [key]: value });
        return wellFormed(issues);
      }),
      { numRuns: 1000 },
    );
  });

  it('survives any value in any field of an information item', () => {
    const items = fullResource.items as Record<string, unknown>[];
    fc.assert(
      fc.property(fc.nat({ max: items.length - 1 }), fc.string(), fc.jsonValue(), (index, key, value) => {
        const mutated = structuredClone(fullResource) as { items: Record<string, unknown>[] };
        (mutated.items[index] as Record<string, unknown>)[key] = value;
        return wellFormed(api.validateCatalogEntry(mutated));
      }),
      { numRuns: 1000 },
    );
  });
});
