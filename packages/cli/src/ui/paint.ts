import type { Paint } from '../reports/text.js';
import { NO_PAINT } from '../reports/text.js';

/** Colours for stdout when it is a terminal; plain text for pipes, files and CI logs. */
export async function stdoutPaint(): Promise<Paint> {
  if (!process.stdout.isTTY || process.env.NO_COLOR !== undefined) return NO_PAINT;
  const { default: chalk } = await import('chalk');
  return chalk;
}
