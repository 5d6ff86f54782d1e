import type { Lang } from '@minjiang/standards';
import type { ValidationReport } from '@minjiang/sdk';
import { stdoutPaint } from '../ui/paint.js';
import { renderGitHub } from './github.js';
import { renderJUnit } from './junit.js';
import { NO_PAINT, renderText } from './text.js';

/** How a command other than `catalog validate` labels its report. */
export interface ReportLabels {
  /** Printed for `--format json` instead of the report (a command's own result). */
  json?: unknown;
  /** The JUnit `<testsuites>` name. */
  suite?: string;
  /** The last line of the text report. */
  summary?: string;
}

async function formatReport(
  report: ValidationReport,
  format: string,
  lang: Lang,
  plain: boolean,
  labels: ReportLabels,
) {
  switch (format) {
    case 'json':
      return `${JSON.stringify(labels.json ?? report, null, 2)}\n`;
    case 'junit':
      return renderJUnit(report, labels.suite);
    case 'github':
      return renderGitHub(report);
    default:
      return renderText(report, lang, plain ? NO_PAINT : await stdoutPaint(), labels.summary);
  }
}

/** Writes a validation report to stdout, or atomically to a file (a CI artefact is whole or absent). */
export async function writeReport(
  report: ValidationReport,
  options: {
    format: string;
    output: string | undefined;
    lang: Lang;
    stream?: NodeJS.WriteStream;
    labels?: ReportLabels;
  },
): Promise<void> {
  const stream = options.stream ?? process.stdout;
  const plain = options.output !== undefined || stream !== process.stdout;
  const text = await formatReport(report, options.format, options.lang, plain, options.labels ?? {});
  if (options.output === undefined) {
    stream.write(text);
    return;
  }
  const { writeFileAtomic } = await import('@minjiang/sdk');
  await writeFileAtomic(options.output, text);
}
