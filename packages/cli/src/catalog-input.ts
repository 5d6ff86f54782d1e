import type { Lang } from '@minjiang/standards';
import type { LoadedCatalog, ValidationReport } from '@minjiang/sdk';
import { MinjiangError } from '@minjiang/sdk';
import { writeReport } from './reports/write-report.js';
import { fill } from './lang.js';

/** A local catalog that breaks the standards: nothing of it goes to the hub. */
export class InvalidCatalogError extends MinjiangError {}

const INVALID = {
  'zh-CN': '本地目录未通过校验（{errors} 个错误），未与枢纽比较',
  en: 'the local catalog is invalid ({errors} error(s)); nothing was compared with the hub',
};
const INVALID_HINT = {
  'zh-CN': '先运行 `minjiang catalog validate` 和 `minjiang catalog fix`，改正后再试。',
  en: 'Run `minjiang catalog validate` and `minjiang catalog fix`, correct the catalog, then try again.',
};

/**
 * Reads the catalog files of a plan or apply and refuses an invalid catalog before the hub is
 * asked anything: its findings go to stderr in the text report, and the error exits with 1.
 */
export async function readValidCatalog(
  paths: string[],
  options: { encoding?: string | undefined; lang: Lang; profile: string },
): Promise<{ catalogs: LoadedCatalog[]; resources: unknown[] }> {
  const { readCatalog, validateCatalogs } = await import('@minjiang/sdk');
  const catalogs: LoadedCatalog[] = [];
  for (const path of paths)
    catalogs.push(await readCatalog(path, options.encoding ? { encoding: options.encoding } : {}));
  const report: ValidationReport = validateCatalogs(catalogs, {
    lang: options.lang,
    profile: options.profile as 'fujian' | 'national-2017',
  });
  if (report.summary.errors > 0) {
    await writeReport(report, {
      format: 'text',
      output: undefined,
      lang: options.lang,
      stream: process.stderr,
    });
    throw new InvalidCatalogError('CATALOG-INVALID', fill(INVALID[options.lang], report.summary), {
      location: paths.join(', '),
      hint: INVALID_HINT[options.lang],
    });
  }
  return { catalogs, resources: catalogs.flatMap((catalog) => catalog.resources) };
}
