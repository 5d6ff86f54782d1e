import { access } from 'node:fs/promises';
import type { Lang } from '@minjiang/standards';
import type { DataFormat, DataResource, ReadDataOptions } from '@minjiang/sdk';
import { UsageError } from './exit-codes.js';
import { connectHub } from './hub-connection.js';
import { say } from './lang.js';

const TEXT = {
  missing: { 'zh-CN': '找不到数据文件：{file}', en: 'no such data file: {file}' },
  missingHint: {
    'zh-CN': '检查路径和文件名；相对路径从当前文件夹算起。',
    en: 'Check the path and the file name; a relative path starts from the current folder.',
  },
  noResource: {
    'zh-CN': '目录文件 {catalog} 中没有编码为 {code} 的资源',
    en: 'the catalog file {catalog} has no resource with the code {code}',
  },
  noResourceHint: {
    'zh-CN': '--resource 应为目录中资源的编码（不是名称），例如 {example}。',
    en: '--resource takes the code of a resource of the catalog (not its name), e.g. {example}.',
  },
};

/** The flags of a command that reads a data file against a resource. */
export interface DataInputFlags {
  resource: string;
  catalog?: string | undefined;
  encoding?: string | undefined;
  'file-format'?: string | undefined;
  hub?: string | undefined;
  profile?: string | undefined;
}

/** A data file that does not exist is a usage error (exit code 2), as for catalog files. */
export async function requireDataFile(file: string, lang: Lang): Promise<void> {
  const found = await access(file).then(
    () => true,
    () => false,
  );
  if (!found) {
    throw new UsageError('FILE-NOT-FOUND', say(TEXT.missing, lang, { file }), {
      location: file,
      hint: say(TEXT.missingHint, lang),
    });
  }
}

/** The reader options of the flags. */
export function readOptions(flags: DataInputFlags): ReadDataOptions {
  return {
    ...(flags.encoding ? { encoding: flags.encoding } : {}),
    ...(flags['file-format'] ? { format: flags['file-format'] as DataFormat } : {}),
  };
}

type Resource = DataResource & { code?: string };

/**
 * The resource whose items are the file's columns: from a local catalog file with `--catalog`
 * (offline, read as every catalog command reads it), else the hub's current version of it.
 */
export async function loadDataResource(flags: DataInputFlags, lang: Lang): Promise<DataResource> {
  if (flags.catalog) {
    const { readCatalog } = await import('@minjiang/sdk');
    const loaded = await readCatalog(flags.catalog, flags.encoding ? { encoding: flags.encoding } : {});
    const resources = loaded.resources as Resource[];
    const resource = resources.find((candidate) => candidate.code === flags.resource);
    if (resource) return resource;
    const params = { catalog: flags.catalog, code: flags.resource, example: resources[0]?.code ?? '' };
    throw new UsageError('RESOURCE-NOT-FOUND', say(TEXT.noResource, lang, params), {
      location: flags.catalog,
      hint: say(TEXT.noResourceHint, lang, params),
    });
  }
  const { client } = await connectHub(flags, lang);
  try {
    const view = await client.getResource(flags.resource);
    return { ...view.document, code: view.code };
  } finally {
    await client.close();
  }
}
