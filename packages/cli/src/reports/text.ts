import type { Lang } from '@minjiang/standards';
import { formatLocation, type Finding, type ValidationReport } from '@minjiang/sdk';
import { fill } from '../lang.js';

/** Colours, or none (chalk is loaded by the caller only when the output is a terminal). */
export interface Paint {
  red: (text: string) => string;
  yellow: (text: string) => string;
  dim: (text: string) => string;
  bold: (text: string) => string;
  green: (text: string) => string;
}

export const NO_PAINT: Paint = {
  red: String,
  yellow: String,
  dim: String,
  bold: String,
  green: String,
};

const WORDS = {
  'zh-CN': {
    found: '实际',
    expected: '应为',
    hint: '处理',
    summary: '{files} 个文件，{resources} 个资源：{valid} 个通过，{errors} 个错误，{warnings} 个警告',
  },
  en: {
    found: 'found',
    expected: 'expected',
    hint: 'fix',
    summary:
      '{files} file(s), {resources} resource(s): {valid} valid, {errors} error(s), {warnings} warning(s)',
  },
};

function findingLines(finding: Finding, lang: Lang, paint: Paint): string[] {
  const words = WORDS[lang];
  const level = finding.severity === 'error' ? paint.red('✖') : paint.yellow('⚠');
  const lines = [`${level} ${paint.bold(finding.code)} ${formatLocation(finding.location)}`];
  lines.push(`  ${finding.message}`);
  if (finding.found !== undefined) lines.push(paint.dim(`  ${words.found}: ${finding.found}`));
  if (finding.expected !== undefined) lines.push(paint.dim(`  ${words.expected}: ${finding.expected}`));
  if (finding.hint) lines.push(`  ${words.hint}: ${finding.hint}`);
  return lines;
}

/** Findings grouped by resource, then one summary line (`summary` replaces the catalog one). */
export function renderText(
  report: ValidationReport,
  lang: Lang,
  paint: Paint = NO_PAINT,
  summary?: string,
): string {
  const out: string[] = [];
  let current = '';
  for (const finding of report.findings) {
    const resource = finding.resource;
    const heading = resource
      ? `${finding.location.file} #${resource.index} ${resource.code ?? ''} ${resource.name ?? ''}`.trim()
      : finding.location.file;
    if (heading !== current) {
      out.push('', paint.bold(heading));
      current = heading;
    }
    out.push(...findingLines(finding, lang, paint));
  }
  const line = summary ?? fill(WORDS[lang].summary, report.summary);
  out.push('', report.summary.errors > 0 ? paint.red(line) : paint.green(line));
  return `${out.join('\n').replace(/^\n/, '')}\n`;
}
