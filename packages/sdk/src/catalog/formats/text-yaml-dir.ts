/**
 * A catalog kept as code: a folder with an optional `catalog.yaml` (title, version) and one YAML
 * file per resource, read in file-name order. Reviews then show one resource per file.
 */
import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { FileFormatError } from '../../core/errors.js';
import type { CatalogFile } from '../catalog-file.js';
import type { LoadedCatalog, SourceLocation } from '../source.js';
import { notFound, writeFileAtomic } from './text-io.js';
import { parsePointer } from './text-pointer.js';
import { catalogFields, catalogMeta, loadedCatalog, loadTextSource, type TextSource } from './text-source.js';
import { lineOf, stringifyYaml } from './text-yaml.js';

const YAML_FILE = /\.ya?ml$/i;
const META_FILE = /^catalog\.ya?ml$/i;

export interface YamlDirSources {
  dir: string;
  meta: TextSource | undefined;
  resources: TextSource[];
}

/** The YAML files of a folder: the metadata file and the resource files, sorted by name. */
export async function listYamlDir(dir: string): Promise<{ meta: string[]; resources: string[] }> {
  let names: string[];
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    names = entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw notFound(dir, error);
    if (code !== 'ENOTDIR') throw error;
    throw new FileFormatError('FILE-TYPE', `${dir} 不是文件夹`, {
      location: dir,
      hint: 'YAML 目录格式（catalog as code）需要一个文件夹，里面每个资源一个 .yaml 文件。',
    });
  }
  // Hidden files include the temporary files of an interrupted atomic write.
  const yaml = names.filter((name) => YAML_FILE.test(name) && !name.startsWith('.')).sort();
  return {
    meta: yaml.filter((name) => META_FILE.test(name)),
    resources: yaml.filter((name) => !META_FILE.test(name)),
  };
}

function shapeError(file: string, message: string, hint: string): FileFormatError {
  return new FileFormatError('FILE-SHAPE', message, { location: file, hint });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

async function loadMeta(dir: string, names: string[]): Promise<TextSource | undefined> {
  const [name, other] = names;
  if (!name) return undefined;
  if (other) {
    throw new FileFormatError('FILE-DUPLICATE', `${dir} 中同时有 ${name} 和 ${other}`, {
      location: join(dir, other),
      hint: '只保留一个目录信息文件（catalog.yaml）。',
    });
  }
  const source = await loadTextSource(join(dir, name), 'yaml');
  if (source.value !== null && !isObject(source.value)) {
    throw shapeError(
      source.file,
      `${source.file} 应为目录信息（title、version）`,
      '写成 title: … 和 version: … 两行。',
    );
  }
  if (isObject(source.value) && 'resources' in source.value) {
    throw shapeError(
      source.file,
      `${source.file} 不应包含 resources`,
      '在 YAML 目录格式中，每个资源单独放在一个 .yaml 文件里；catalog.yaml 只写 title 和 version。',
    );
  }
  return source;
}

function checkDuplicateCodes(sources: TextSource[]): void {
  const seen = new Map<string, string>();
  for (const source of sources) {
    const code = (source.value as { code?: unknown }).code;
    if (typeof code !== 'string') continue;
    const first = seen.get(code);
    if (first === undefined) {
      seen.set(code, source.file);
      continue;
    }
    const line = lineOf(source.document(), ['code']);
    throw new FileFormatError('FILE-DUPLICATE', `资源代码 ${code} 同时出现在 ${first} 和 ${source.file}`, {
      location: line === undefined ? source.file : `${source.file}:${line}`,
      hint: '每个资源代码只能出现一次：删除重复的文件，或改正其中一个的资源代码。',
    });
  }
}

/** Reads every file of a YAML folder, checking that each holds one resource and codes are unique. */
export async function loadYamlDir(dir: string): Promise<YamlDirSources> {
  const names = await listYamlDir(dir);
  const meta = await loadMeta(dir, names.meta);
  const resources = await Promise.all(names.resources.map((name) => loadTextSource(join(dir, name), 'yaml')));
  for (const source of resources) {
    if (!isObject(source.value)) {
      throw shapeError(
        source.file,
        `${source.file} 应为一个资源（YAML 对象）`,
        '每个文件写一个资源对象，以 code: 开头；不要写成列表（- code: …）。',
      );
    }
  }
  checkDuplicateCodes(resources);
  return { dir, meta, resources };
}

function locateIn(sources: YamlDirSources, pointer: string): SourceLocation {
  const [first, second, ...rest] = parsePointer(pointer);
  let source: TextSource | undefined = sources.meta;
  let tokens: string[] = first === undefined ? [] : [first];
  if (first === 'resources') {
    source = second === undefined ? undefined : sources.resources[Number(second)];
    tokens = rest;
  }
  if (!source) return { file: sources.dir };
  const line = lineOf(source.document(), tokens);
  return line === undefined ? { file: source.file } : { file: source.file, line };
}

/** Reads a YAML folder as a catalog; `locate` points into the file of each resource. */
export async function readYamlDir(dir: string): Promise<LoadedCatalog> {
  const sources = await loadYamlDir(dir);
  const meta = (isObject(sources.meta?.value) ? sources.meta.value : {}) as Partial<CatalogFile>;
  const resources = sources.resources.map((source) => source.value);
  const catalog = catalogFields({ title: meta.title, version: meta.version, resources });
  const all = sources.meta ? [sources.meta, ...sources.resources] : sources.resources;
  return loadedCatalog(catalog, 'yaml-dir', dir, (pointer) => locateIn(sources, pointer), all);
}

/** The file a resource is written to: its code with `/` and other unsafe characters as `-`. */
export function resourceFileName(code: string): string {
  const safe = code.replace(/[/\\:*?"<>|\s\p{Cc}]/gu, '-').replace(/^\.+/, '-');
  return `${META_FILE.test(`${safe}.yaml`) ? `${safe}-resource` : safe}.yaml`;
}

async function existingFilesByCode(dir: string, names: string[]): Promise<Map<string, string>> {
  const byCode = new Map<string, string>();
  for (const name of names) {
    // A file that no longer parses simply keeps no code; it is rewritten or left alone.
    const source = await loadTextSource(join(dir, name), 'yaml').catch(() => undefined);
    const code = (source?.value as { code?: unknown } | undefined)?.code;
    if (typeof code === 'string' && !byCode.has(code)) byCode.set(code, name);
  }
  return byCode;
}

function planFiles(dir: string, resources: unknown[], byCode: Map<string, string>): Map<string, unknown> {
  const plan = new Map<string, unknown>();
  const lowerNames = new Map<string, string>();
  resources.forEach((resource, index) => {
    const code = (resource as { code?: unknown } | null)?.code;
    if (typeof code !== 'string' || code.trim() === '') {
      throw shapeError(
        dir,
        `第 ${index + 1} 个资源没有资源代码（code）`,
        '每个资源都要有 code，文件名由它生成。',
      );
    }
    const name = byCode.get(code) ?? resourceFileName(code);
    // Case-insensitive file systems (Windows, macOS) would merge names differing only in case.
    const clash = lowerNames.get(name.toLowerCase());
    if (clash !== undefined) {
      throw new FileFormatError('FILE-DUPLICATE', `资源代码 ${clash} 和 ${code} 会写入同一个文件 ${name}`, {
        location: join(dir, name),
        hint: '资源代码必须唯一（“/”会变成“-”，且不区分大小写）。',
      });
    }
    lowerNames.set(name.toLowerCase(), code);
    plan.set(name, resource);
  });
  return plan;
}

async function writeIfChanged(file: string, text: string): Promise<void> {
  const current = await readFile(file, 'utf8').catch(() => undefined);
  if (current !== text) await writeFileAtomic(file, text);
}

/**
 * Writes a catalog as a YAML folder. Files of resources no longer in the catalog are removed only
 * with `prune`; each file is replaced atomically (the folder as a whole is not).
 */
export async function writeYamlDir(dir: string, catalog: CatalogFile, prune = false): Promise<void> {
  await mkdir(dir, { recursive: true });
  const names = await listYamlDir(dir);
  const plan = planFiles(dir, catalog.resources, await existingFilesByCode(dir, names.resources));
  await writeIfChanged(join(dir, names.meta[0] ?? 'catalog.yaml'), stringifyYaml(catalogMeta(catalog)));
  for (const [name, resource] of plan) await writeIfChanged(join(dir, name), stringifyYaml(resource));
  if (!prune) return;
  for (const name of names.resources) {
    if (!plan.has(name)) await unlink(join(dir, name));
  }
}
