import type { Lang } from '@minjiang/standards';
import type { ValidationReport } from '@minjiang/sdk';
import { stdoutPaint } from '../ui/paint.js';
import { renderGitHub } from './github.js';
import { renderJUnit } from './junit.js';
import { NO_PAINT, renderText } from './text.js';

async function formatReport(report: ValidationReport, format: string, lang: Lang, plain: boolean) {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'junit':
      return renderJUnit(report);
    case 'github':
      return renderGitHub(report);
    default:
      return renderText(report, lang, plain ? NO_PAINT : await stdoutPaint());
  }
}

/** Writes a validation report to stdout, or atomically to a file (a CI artefact is whole or absent). */
export async function writeReport(
  report: ValidationReport,
  options: { format: string; output: string | undefined; lang: Lang; stream?: NodeJS.WriteStream },
): Promise<void> {
  const stream = options.stream ?? process.stdout;
  const plain = options.output !== undefined || stream !== process.stdout;
  const text = await formatReport(report, options.format, options.lang, plain);
  if (options.output === undefined) {
    stream.write(text);
    return;
  }
  const { writeFileAtomic } = await import('@minjiang/sdk');
  await writeFileAtomic(options.output, text);
}
