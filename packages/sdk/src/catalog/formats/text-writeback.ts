/**
 * Writing fixes back into the text files a catalog was read from. Only the values at the changed
 * pointers are touched: a YAML file keeps its comments, quoting and layout elsewhere; JSON (which
 * has no comments) is re-serialised with its own indentation; in a YAML folder only the files of
 * changed resources are rewritten. Every file is replaced atomically.
 */
import { access, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { FileFormatError } from '../../core/errors.js';
import type { CatalogFile } from '../catalog-file.js';
import type { LoadedCatalog } from '../source.js';
import { writeFileAtomic } from './text-io.js';
import { orderChanges, setValueAt } from './text-pointer.js';
import {
  catalogFields,
  catalogMeta,
  catalogShape,
  loadTextSource,
  parseTextSource,
  readTexts,
  type TextSource,
} from './text-source.js';
import { loadYamlDir, resourceFileName, type YamlDirSources } from './text-yaml-dir.js';
import { setInDocument, stringifyYaml, toStringOptions } from './text-yaml.js';

type Change = { tokens: string[]; value: unknown };

function writebackError(location: string, message: string, hint: string): FileFormatError {
  return new FileFormatError('FILE-WRITEBACK', message, { location, hint });
}

/** Refuses to overwrite a file edited by someone else since the catalog was read. */
function checkUnchanged(loaded: LoadedCatalog, source: TextSource): void {
  const original = readTexts.get(loaded)?.get(source.file);
  if (original === undefined || original === source.text) return;
  throw new FileFormatError('FILE-CHANGED', `${source.file} 在读取之后被修改过，未写入修正`, {
    location: source.file,
    hint: '重新运行命令，让修正基于文件的最新内容。',
  });
}

function withBom(original: string, text: string): string {
  return original.startsWith('\uFEFF') ? `\uFEFF${text}` : text;
}

/** Tokens inside the file; a bare-array file has no place for the catalog's title or version. */
function inFile(change: Change, rootIsArray: boolean, file: string): Change {
  if (!rootIsArray) return change;
  const [first, ...rest] = change.tokens;
  if (first === 'resources') return { tokens: rest, value: change.value };
  throw writebackError(
    file,
    `${file} 是资源数组，无法写入 /${change.tokens.join('/')}`,
    '把文件改成 { "title": …, "resources": [ … ] } 的形式后再修正。',
  );
}

function jsonIndent(text: string): string | number {
  return /^[ \t]+(?=["{[\]}\w-])/m.exec(text)?.[0] ?? 2;
}

async function writeBackJson(loaded: LoadedCatalog, fixed: CatalogFile, pointers: string[]): Promise<void> {
  const source = await loadTextSource(loaded.path, 'json');
  checkUnchanged(loaded, source);
  const rootIsArray = catalogShape(source.value, source.file).rootIsArray;
  let root = source.value;
  for (const change of orderChanges(pointers, fixed)) {
    const { tokens, value } = inFile(change, rootIsArray, source.file);
    root = setValueAt(root, tokens, value);
  }
  const text = `${JSON.stringify(root, null, jsonIndent(source.text))}\n`;
  await writeFileAtomic(source.file, withBom(source.text, text));
}

/** Applies changes (tokens inside this document) to a parsed YAML document. */
function applyToYaml(source: TextSource, changes: Change[], fixedRoot: unknown): string {
  const { doc } = source.document();
  for (const { tokens, value } of changes) {
    if (value !== undefined) setInDocument(doc, tokens, value, fixedRoot);
    else if (tokens.length > 0) doc.deleteIn(tokens);
  }
  return withBom(source.text, doc.toString(toStringOptions(source.text)));
}

async function writeBackYaml(loaded: LoadedCatalog, fixed: CatalogFile, pointers: string[]): Promise<void> {
  const source = await loadTextSource(loaded.path, 'yaml');
  checkUnchanged(loaded, source);
  const rootIsArray = catalogShape(source.value, source.file).rootIsArray;
  const changes = orderChanges(pointers, fixed).map((change) => inFile(change, rootIsArray, source.file));
  await writeFileAtomic(source.file, applyToYaml(source, changes, rootIsArray ? fixed.resources : fixed));
}

interface FolderEdit {
  source: TextSource;
  changes: Change[];
  fixedRoot: unknown;
}

function metaEdit(dir: string, meta: TextSource | undefined, fixed: CatalogFile): FolderEdit {
  const source = meta ?? parseTextSource('', join(dir, 'catalog.yaml'), 'yaml');
  return { source, changes: [], fixedRoot: catalogMeta(fixed) };
}

async function writeNewResource(dir: string, resource: unknown): Promise<void> {
  const code = (resource as { code?: unknown } | null)?.code;
  const file = join(dir, resourceFileName(typeof code === 'string' ? code : ''));
  if (
    typeof code !== 'string' ||
    code === '' ||
    (await access(file).then(
      () => true,
      () => false,
    ))
  ) {
    throw writebackError(
      file,
      `无法为新资源 ${String(code)} 建立文件 ${file}`,
      '新资源需要唯一的资源代码（code）。',
    );
  }
  await writeFileAtomic(file, stringifyYaml(resource));
}

interface FolderPlan {
  edits: Map<TextSource, FolderEdit>;
  removed: TextSource[];
  added: unknown[];
}

function planFolder(sources: YamlDirSources, fixed: CatalogFile, pointers: string[]): FolderPlan {
  const plan: FolderPlan = { edits: new Map(), removed: [], added: [] };
  const meta = metaEdit(sources.dir, sources.meta, fixed);
  for (const { tokens, value } of orderChanges(pointers, fixed)) {
    const [first, second, ...rest] = tokens;
    if (first === undefined) {
      throw writebackError(sources.dir, '不能整体替换文件夹形式的目录', '整体写出请用 writeTextCatalog。');
    }
    if (first !== 'resources') {
      meta.changes.push({ tokens, value });
      plan.edits.set(meta.source, meta);
      continue;
    }
    if (second === undefined) {
      throw writebackError(
        sources.dir,
        '不能整体替换文件夹中的资源列表',
        '增删资源请用 writeTextCatalog（带 prune）写出整个目录。',
      );
    }
    const index = Number(second);
    const source = sources.resources[index];
    if (!source) {
      if (value !== undefined) plan.added.push(value);
    } else if (rest.length === 0 && value === undefined) {
      plan.removed.push(source);
    } else {
      const edit = plan.edits.get(source) ?? { source, changes: [], fixedRoot: fixed.resources[index] };
      edit.changes.push({ tokens: rest, value });
      plan.edits.set(source, edit);
    }
  }
  return plan;
}

async function writeBackYamlDir(
  loaded: LoadedCatalog,
  fixed: CatalogFile,
  pointers: string[],
): Promise<void> {
  const { edits, removed, added } = planFolder(await loadYamlDir(loaded.path), fixed, pointers);
  for (const source of [...edits.keys(), ...removed]) checkUnchanged(loaded, source);
  for (const edit of edits.values()) {
    await writeFileAtomic(edit.source.file, applyToYaml(edit.source, edit.changes, edit.fixedRoot));
  }
  for (const resource of added) await writeNewResource(loaded.path, resource);
  for (const source of removed) await unlink(source.file);
}

/**
 * Writes the values of `fixed` at `pointers` (JSON Pointers into the catalog) back into the files
 * `loaded` was read from; a pointer with no value in `fixed` is removed. Refuses with
 * `FILE-CHANGED` if a file was edited after it was read.
 */
export async function writeBackText(
  loaded: LoadedCatalog,
  fixed: CatalogFile,
  pointers: string[],
): Promise<void> {
  if (pointers.length === 0) return;
  // Only the catalog's own fields: `fixed` may be a LoadedCatalog, with `locate` and `path`.
  const body = catalogFields(fixed);
  if (loaded.format === 'json') return writeBackJson(loaded, body, pointers);
  if (loaded.format === 'yaml') return writeBackYaml(loaded, body, pointers);
  if (loaded.format === 'yaml-dir') return writeBackYamlDir(loaded, body, pointers);
  throw new FileFormatError('FILE-TYPE', `${loaded.path} 不是 JSON/YAML 目录，不能按文本写回`, {
    location: loaded.path,
    hint: '表格格式（CSV、XLSX）的修正由对应的读写模块写回单元格。',
  });
}
