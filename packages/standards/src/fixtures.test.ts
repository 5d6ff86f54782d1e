import { describe, expect, it } from 'vitest';
import { loadFixtures, templateOf, type Fixture } from '../test-utils/fixtures.js';
import { constraintsOf, valuesOf } from '../test-utils/schema-walk.js';
import { normalizeDocument } from './normalize.js';
import { RULES } from './registry.js';
import { SCHEMA_NAMES, type SchemaName } from './schemas.js';
import { validateDocument } from './validate.js';

const fixtures = loadFixtures();

function run(fixture: Fixture) {
  return validateDocument(fixture.schema, fixture.document, {
    ...(fixture.options.now ? { now: new Date(fixture.options.now) } : {}),
    ...(fixture.options.profile ? { profile: fixture.options.profile } : {}),
  });
}

describe('every fixture does what it declares', () => {
  it.each(fixtures.map((fixture) => [fixture.id, fixture] as const))('%s', (_id, fixture) => {
    // Given a fixture, When it is validated
    const issues = run(fixture);
    // Then a valid one gives nothing, and an invalid one exactly its declared code at its location
    const found = [...new Set(issues.map((issue) => `${issue.code} ${issue.location}`))];
    expect(found).toEqual(fixture.expect ? [`${fixture.expect.code} ${fixture.expect.location}`] : []);
  });
});

function fixturesOf(schema: SchemaName) {
  const own = fixtures.filter((fixture) => fixture.schema === schema);
  const valid = own.filter((fixture) => fixture.expect === null);
  const invalid = own.filter((fixture) => fixture.expect !== null);
  const validValues = valid.flatMap((fixture) => valuesOf(normalizeDocument(schema, fixture.document)));
  return { valid, invalid, validValues };
}

describe.each(SCHEMA_NAMES)('fixtures of %s cover the schema', (schema) => {
  const { valid, invalid, validValues } = fixturesOf(schema);
  const constraints = constraintsOf(schema);
  const expected = invalid.map((fixture) => ({
    code: fixture.expect?.code,
    template: templateOf(fixture.expect?.location ?? ''),
  }));

  it('has valid and invalid fixtures', () => {
    expect(valid.length).toBeGreaterThan(0);
    expect(invalid.length).toBeGreaterThan(0);
  });

  it('removes every required field in some invalid fixture', () => {
    const missing = constraints
      .filter((c) => c.kind === 'required')
      .filter((c) => !expected.some((e) => e.code === 'SCH-001' && e.template === c.template))
      .map((c) => c.template);
    expect(missing).toEqual([]);
  });

  it('uses every enumeration value in some valid fixture', () => {
    const unused: string[] = [];
    const enums = constraints.flatMap((c) => (c.kind === 'enum' ? [c] : []));
    for (const key of new Set(enums.map((c) => c.key))) {
      const sites = enums.filter((c) => c.key === key);
      for (const value of sites[0]?.values ?? []) {
        const used = validValues.some(
          (v) => v.value === value && sites.some((site) => site.template === v.template),
        );
        if (!used) unused.push(`${key}: ${String(value)}`);
      }
    }
    expect(unused).toEqual([]);
  });

  it('matches and violates every pattern', () => {
    const uncovered: string[] = [];
    const patterns = constraints.flatMap((c) => (c.kind === 'pattern' ? [c] : []));
    for (const pattern of new Set(patterns.map((c) => c.pattern))) {
      const sites = new Set(patterns.filter((c) => c.pattern === pattern).map((c) => c.template));
      const matched = validValues.some((v) => typeof v.value === 'string' && sites.has(v.template));
      const violated = expected.some((e) => e.code === 'SCH-004' && sites.has(e.template));
      if (!matched || !violated) uncovered.push(`${pattern} (matched: ${matched}, violated: ${violated})`);
    }
    expect(uncovered).toEqual([]);
  });

  it('triggers every cross-field rule of the schema', () => {
    const codes = new Set(expected.map((e) => e.code));
    const untested = (RULES[schema] ?? []).map((rule) => rule.code).filter((code) => !codes.has(code));
    expect(untested).toEqual([]);
  });
});
