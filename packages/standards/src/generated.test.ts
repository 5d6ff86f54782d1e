import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderTypes, TYPE_NAMES } from '../scripts/generate.js';
import { SCHEMA_FILES } from './schemas.js';

describe('generated types', () => {
  it('match the schemas (run `pnpm generate` after changing a schema)', async () => {
    // Given the committed file, When the types are generated again from the schemas
    const committed = readFileSync(new URL('./generated/types.ts', import.meta.url), 'utf8');
    const fresh = await renderTypes();
    // Then nothing has drifted
    expect(fresh).toBe(committed);
  });

  it('cover every schema', () => {
    expect(Object.keys(TYPE_NAMES).sort()).toEqual(Object.values(SCHEMA_FILES).sort());
  });
});
