import { createRequire } from 'node:module';

// The package's data files (schemas/, codes/) sit two levels above both src/internal and
// dist/internal, so one relative base serves the sources under vitest and the built package.
const requireData = createRequire(new URL('../../', import.meta.url));

const cache = new Map<string, unknown>();

/**
 * Reads one of the package's own JSON data files, once; later calls share the parsed value.
 * Data is read lazily, on first use, never at import time.
 */
export function loadPackageJson<T>(relativePath: string): T {
  let value = cache.get(relativePath);
  if (value === undefined) {
    value = requireData(`./${relativePath}`) as unknown;
    cache.set(relativePath, value);
  }
  return value as T;
}
