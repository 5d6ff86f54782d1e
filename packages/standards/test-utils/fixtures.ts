import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCHEMA_NAMES, type SchemaName } from '../src/schemas.js';
import { applyPatch, type PatchOperation } from './json-patch.js';

export const FIXTURES_ROOT = fileURLToPath(new URL('../../../fixtures/', import.meta.url));

/** What an invalid fixture must produce: exactly this one (code, location). */
export interface Expectation {
  code: string;
  location: string;
}

/** Options a fixture may pin, so results do not depend on the day the test runs. */
export interface FixtureOptions {
  now?: string;
  profile?: 'fujian' | 'national-2017';
}

/** One document to validate, with what it must give. */
export interface Fixture {
  schema: SchemaName;
  /** file, plus `#n` for the n-th case of a case file */
  id: string;
  description: string;
  document: unknown;
  expect: Expectation | null;
  options: FixtureOptions;
}

interface CaseFile {
  base: string;
  options?: FixtureOptions;
  cases: { description: string; patch: PatchOperation[]; expect?: Expectation; options?: FixtureOptions }[];
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}

function jsonFiles(dir: string): string[] {
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((file) => file.endsWith('.json'))
        .sort()
    : [];
}

function schemaFixtures(schema: SchemaName): Fixture[] {
  const dir = join(FIXTURES_ROOT, schema);
  const fixtures: Fixture[] = jsonFiles(join(dir, 'valid')).map((file) => ({
    schema,
    id: `${schema}/valid/${file}`,
    description: `valid document ${file}`,
    document: readJson(join(dir, 'valid', file)),
    expect: null,
    options: { now: '2026-01-01T00:00:00+08:00' },
  }));
  for (const file of jsonFiles(join(dir, 'cases'))) {
    const caseFile = readJson(join(dir, 'cases', file)) as CaseFile;
    const base = readJson(join(dir, caseFile.base));
    caseFile.cases.forEach((entry, index) => {
      fixtures.push({
        schema,
        id: `${schema}/cases/${file}#${index}`,
        description: entry.description,
        document: applyPatch(base, entry.patch),
        expect: entry.expect ?? null,
        options: { now: '2026-01-01T00:00:00+08:00', ...caseFile.options, ...entry.options },
      });
    });
  }
  return fixtures;
}

/** Every fixture of every schema. */
export function loadFixtures(): Fixture[] {
  return SCHEMA_NAMES.flatMap(schemaFixtures);
}

/** Replaces array indices in a JSON Pointer by `*`, to compare it with a schema path template. */
export function templateOf(location: string): string {
  return location.replace(/\/\d+(?=\/|$)/g, '/*');
}
