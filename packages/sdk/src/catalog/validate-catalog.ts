import { validateCatalogEntry, type DocumentValidateOptions, type Issue } from '@minjiang/standards';
import type { CatalogFile } from './catalog-file.js';

/** The findings about one resource of a catalog. */
export interface ResourceReport {
  index: number;
  code?: string;
  name?: string;
  issues: Issue[];
}

/** The findings about a whole catalog, with counts for a summary line. */
export interface CatalogReport {
  resources: ResourceReport[];
  summary: { resources: number; valid: number; errors: number; warnings: number };
}

function field(resource: unknown, key: 'code' | 'name'): string | undefined {
  const value = (resource as Record<string, unknown> | null)?.[key];
  return typeof value === 'string' ? value : undefined;
}

/** Validates every resource of a catalog and adds up the findings. */
export function validateCatalog(catalog: CatalogFile, options: DocumentValidateOptions = {}): CatalogReport {
  const resources = catalog.resources.map((resource, index): ResourceReport => {
    const report: ResourceReport = { index, issues: validateCatalogEntry(resource, options) };
    const code = field(resource, 'code');
    const name = field(resource, 'name');
    if (code !== undefined) report.code = code;
    if (name !== undefined) report.name = name;
    return report;
  });
  const all = resources.flatMap((resource) => resource.issues);
  return {
    resources,
    summary: {
      resources: resources.length,
      valid: resources.filter((resource) => !resource.issues.some((issue) => issue.severity === 'error'))
        .length,
      errors: all.filter((issue) => issue.severity === 'error').length,
      warnings: all.filter((issue) => issue.severity === 'warning').length,
    },
  };
}
