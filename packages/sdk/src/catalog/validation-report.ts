import type { DocumentValidateOptions, Issue } from '@minjiang/standards';
import type { LoadedCatalog, SourceLocation } from './source.js';
import { validateCatalog } from './validate-catalog.js';

/** One finding, placed where the person who must fix it will look: a cell, a line, a file. */
export interface Finding extends Omit<Issue, 'location'> {
  /** JSON Pointer into the catalog (`/resources/3/items/2/dataType`), when the finding has one. */
  pointer?: string;
  location: SourceLocation;
  /** The resource the finding is about. */
  resource?: { index: number; code?: string; name?: string };
}

/** The findings of one validation run over one or more files. */
export interface ValidationReport {
  files: { path: string; format: string; encoding?: string; resources: number }[];
  findings: Finding[];
  summary: { files: number; resources: number; valid: number; errors: number; warnings: number };
}

/** When a report fails a run: on any error (default), on any finding, or never. */
export type FailOn = 'error' | 'warning' | 'never';

export function reportFails(report: ValidationReport, failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  return failOn === 'warning'
    ? report.findings.length > 0
    : report.findings.some((finding) => finding.severity === 'error');
}

function fromIssue(catalog: LoadedCatalog, issue: Issue, resource: Finding['resource']): Finding {
  const { location, ...rest } = issue;
  const pointer = `/resources/${resource?.index ?? 0}${location}`;
  return { ...rest, pointer, location: catalog.locate(pointer), ...(resource ? { resource } : {}) };
}

function readerWarnings(catalog: LoadedCatalog): Finding[] {
  return (catalog.warnings ?? []).map((warning) => ({
    code: warning.code,
    severity: 'warning',
    message: warning.message,
    location: warning.location,
  }));
}

/** Validates loaded catalogs against every rule of the standards, offline. */
export function validateCatalogs(
  catalogs: LoadedCatalog[],
  options: DocumentValidateOptions = {},
): ValidationReport {
  const findings: Finding[] = [];
  let resources = 0;
  let valid = 0;
  for (const catalog of catalogs) {
    findings.push(...readerWarnings(catalog));
    const report = validateCatalog(catalog, options);
    resources += report.summary.resources;
    valid += report.summary.valid;
    for (const { index, code, name, issues } of report.resources) {
      const resource = { index, ...(code ? { code } : {}), ...(name ? { name } : {}) };
      findings.push(...issues.map((issue) => fromIssue(catalog, issue, resource)));
    }
  }
  return {
    files: catalogs.map((catalog) => ({
      path: catalog.path,
      format: catalog.format,
      ...(catalog.encoding ? { encoding: catalog.encoding } : {}),
      resources: catalog.resources.length,
    })),
    findings,
    summary: {
      files: catalogs.length,
      resources,
      valid,
      errors: findings.filter((finding) => finding.severity === 'error').length,
      warnings: findings.filter((finding) => finding.severity === 'warning').length,
    },
  };
}

/** `file`, `file:line`, or `file sheet!B7 (列名)`: how people name a place in a file. */
export function formatLocation(location: SourceLocation): string {
  if (location.sheet !== undefined && location.row !== undefined) {
    const cell = `${location.column ?? ''}${location.row}`;
    return `${location.file} ${location.sheet}!${cell}${location.header ? ` (${location.header})` : ''}`;
  }
  if (location.row !== undefined) {
    return `${location.file}:${location.row}${location.header ? ` (${location.header})` : ''}`;
  }
  return location.line !== undefined ? `${location.file}:${location.line}` : location.file;
}
