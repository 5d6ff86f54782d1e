import type { Lang } from '@minjiang/standards';
import type { DataFinding, DataValidationReport, Finding, ValidationReport } from '@minjiang/sdk';
import { fill } from '../lang.js';

const SUMMARY = {
  'zh-CN': '{file}：{rows} 行数据，{validRows} 行通过，{errors} 个错误，{warnings} 个警告',
  en: '{file}: {rows} data row(s), {validRows} valid, {errors} error(s), {warnings} warning(s)',
};
const OMITTED = {
  'zh-CN': '（另有 {omitted} 个问题只计数未列出）',
  en: ' ({omitted} more finding(s) counted but not listed)',
};

/**
 * A data finding where the person fixing it looks: the physical line (CSV, JSON Lines) or sheet
 * row (xlsx) and the column header; the value as found (masked when sensitive) and the fix.
 */
function asFinding(file: string, finding: DataFinding, resource: Finding['resource']): Finding {
  return {
    code: finding.code,
    severity: finding.severity,
    message: finding.message,
    ...(finding.hint ? { hint: finding.hint } : {}),
    ...(finding.value ? { found: finding.value } : {}),
    ...(finding.fix !== undefined ? { expected: finding.fix } : {}),
    location: {
      file,
      ...(finding.line !== undefined ? { row: finding.line } : {}),
      ...(finding.column !== undefined ? { header: finding.column } : {}),
    },
    ...(resource ? { resource } : {}),
  };
}

/**
 * A data validation report in the shape the catalog report renderers take (text, JUnit, GitHub
 * annotations): one file, its resource as the one test case.
 */
export function dataReportAsValidation(report: DataValidationReport): ValidationReport {
  const resource = {
    index: 0,
    ...(report.resource.code ? { code: report.resource.code } : {}),
    name: report.resource.name,
  };
  return {
    files: [
      {
        path: report.file,
        format: report.format,
        ...(report.encoding ? { encoding: report.encoding } : {}),
        resources: 1,
      },
    ],
    findings: report.findings.map((finding) => asFinding(report.file, finding, resource)),
    summary: {
      files: 1,
      resources: 1,
      valid: report.summary.errors === 0 ? 1 : 0,
      errors: report.summary.errors,
      warnings: report.summary.warnings,
    },
  };
}

/** The last line of the text report: rows, valid rows, errors, warnings. */
export function dataSummaryLine(report: DataValidationReport, lang: Lang): string {
  const { file, rows, validRows, omitted } = report;
  const line = fill(SUMMARY[lang], { file, rows, validRows, ...report.summary });
  return omitted > 0 ? `${line}${fill(OMITTED[lang], { omitted })}` : line;
}
