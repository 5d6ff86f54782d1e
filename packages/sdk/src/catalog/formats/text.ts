/**
 * Catalogs in text formats: one JSON or YAML file, or a folder of YAML files (catalog as code).
 * Reading keeps the way back from a JSON Pointer to a file and line; writing is atomic.
 */
import type { CatalogFile } from '../catalog-file.js';
import type { LoadedCatalog, SourceLocation } from '../source.js';
import { writeFileAtomic } from './text-io.js';
import { parsePointer } from './text-pointer.js';
import {
  catalogFields,
  catalogShape,
  loadedCatalog,
  loadTextSource,
  type TextSource,
} from './text-source.js';
import { readYamlDir, writeYamlDir } from './text-yaml-dir.js';
import { lineOf, stringifyYaml } from './text-yaml.js';

export type TextCatalogFormat = 'json' | 'yaml' | 'yaml-dir';

export { writeBackText } from './text-writeback.js';

/**
 * The tokens of a catalog pointer inside the file: a bare-array file holds the resources at its
 * root, so `/resources/3` is its item 3 and the catalog's title has no place in it.
 */
export function fileTokens(pointer: string, rootIsArray: boolean): string[] {
  const tokens = parsePointer(pointer);
  if (!rootIsArray) return tokens;
  return tokens[0] === 'resources' ? tokens.slice(1) : [];
}

function locateInFile(source: TextSource, rootIsArray: boolean, pointer: string): SourceLocation {
  const line = lineOf(source.document(), fileTokens(pointer, rootIsArray));
  return line === undefined ? { file: source.file } : { file: source.file, line };
}

/**
 * Reads a catalog file as its JSON or YAML parse gives it (all top-level keys kept), with a
 * locator; `readCatalogFile` is this without the locator.
 */
export async function readCatalogText(
  path: string,
  kind: 'json' | 'yaml',
): Promise<{ catalog: CatalogFile; source: TextSource; locate: (pointer: string) => SourceLocation }> {
  const source = await loadTextSource(path, kind);
  const { catalog, rootIsArray } = catalogShape(source.value, path);
  return { catalog, source, locate: (pointer) => locateInFile(source, rootIsArray, pointer) };
}

/**
 * Reads a catalog in a text format. JSON and YAML (1.2, so `no` stays a string) hold
 * `{ title?, version?, resources }` or a bare array of resources; a YAML folder holds an optional
 * `catalog.yaml` and one file per resource, in file-name order.
 */
export async function readTextCatalog(path: string, format: TextCatalogFormat): Promise<LoadedCatalog> {
  if (format === 'yaml-dir') return readYamlDir(path);
  const { catalog, source, locate } = await readCatalogText(path, format);
  return loadedCatalog(catalog, format, path, locate, [source]);
}

/**
 * Writes a whole catalog: JSON with 2-space indents, YAML 1.2 with strings that YAML 1.1 tools
 * would misread quoted (`'0591'`, `'no'`, `'2025-01-01'`), or a YAML folder (see `writeYamlDir`;
 * files of removed resources go only with `prune`). Files are replaced atomically.
 */
export async function writeTextCatalog(
  path: string,
  catalog: CatalogFile,
  format: TextCatalogFormat,
  options: { prune?: boolean } = {},
): Promise<void> {
  if (format === 'yaml-dir') return writeYamlDir(path, catalog, options.prune === true);
  const fields = catalogFields(catalog);
  const text = format === 'json' ? `${JSON.stringify(fields, null, 2)}\n` : stringifyYaml(fields);
  return writeFileAtomic(path, text);
}
