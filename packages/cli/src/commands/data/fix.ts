import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Args, Flags } from '@oclif/core';
import type { DataFixResult } from '@minjiang/sdk';
import { MinjiangCommand } from '../../base-command.js';
import { loadDataResource, readOptions, requireDataFile } from '../../data-resource.js';
import { UsageError } from '../../exit-codes.js';
import { dataReadFlags } from '../../flags.js';
import { hubFlags } from '../../hub-connection.js';
import { fill, say } from '../../lang.js';
import { stdoutPaint } from '../../ui/paint.js';

export type DataFixCommandResult = DataFixResult;

const TEXT = {
  exists: { 'zh-CN': '{file} 已存在', en: '{file} already exists' },
  existsHint: {
    'zh-CN': '用 --output 指定另一个文件，或加 --force 覆盖它。',
    en: 'Name another file with --output, or pass --force to overwrite it.',
  },
  'zh-CN': {
    none: '{file}：没有可机械修正的内容',
    dry: '{cells} 处修正，涉及 {rows} 行（--dry-run：未写入）',
    written: '✔ 已修正 {cells} 处（{rows} 行），写入 {output}',
    remaining: '仍有 {errors} 个错误、{warnings} 个警告需要人工处理：minjiang data validate {output}',
    omitted: '（另有 {omitted} 处修正只计数未列出）',
  },
  en: {
    none: '{file}: nothing to fix mechanically',
    dry: '{cells} fix(es) in {rows} row(s) (--dry-run: nothing written)',
    written: '✔ {cells} fix(es) in {rows} row(s), written to {output}',
    remaining:
      '{errors} error(s) and {warnings} warning(s) left to fix by hand: minjiang data validate {output}',
    omitted: ' ({omitted} more fix(es) counted but not listed)',
  },
};

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

export default class DataFix extends MinjiangCommand<DataFixCommandResult> {
  static override summary = 'Apply the mechanical fixes to a data file, into a new file.';
  static override description =
    'Applies every fix `data validate` suggests: full-width characters folded, stray spaces trimmed, dates and times reformatted (2023年5月1日 → 2023-05-01), code-table labels turned into codes (男 → 1), and gender and birth date derived from the resident ID where they disagree with it. Writes the corrected file in the same format: a CSV keeps its encoding (UTF-8, GBK, GB18030), delimiter and line breaks, and every unchanged line byte for byte; JSON Lines keeps unchanged lines and the types of unchanged values; an xlsx is written anew, header and rows as text cells (title rows and formatting are not kept). Without --output the file is written next to the input as <name>.fixed.<ext>; the input is never overwritten unless named with --output. Values are written as given (nothing is prefixed against spreadsheet formulas). Writes atomically; --dry-run only reports. What cannot be fixed mechanically is counted under `remaining`.';
  static override examples = [
    '<%= config.bin %> data fix 人口.csv --resource 3350010001/000001 --catalog catalog.yaml --dry-run',
    '<%= config.bin %> data fix 人口.csv --resource 3350010001/000001 --catalog catalog.yaml',
    '<%= config.bin %> data fix 人口.csv --resource 3350010001/000001 --output 人口-修正.csv',
  ];
  static override args = { file: Args.string({ required: true, description: 'The data file.' }) };
  static override flags = {
    ...dataReadFlags,
    ...hubFlags,
    output: Flags.string({
      char: 'o',
      summary: 'Write the fixed file here (default: <name>.fixed.<ext> next to the input).',
    }),
    force: Flags.boolean({ summary: 'Overwrite the default output file when it exists.' }),
    'dry-run': Flags.boolean({ summary: 'Show the fixes; write nothing.' }),
  };

  protected async execute(): Promise<DataFixCommandResult> {
    const { args, flags } = await this.parse(DataFix);
    await requireDataFile(args.file, this.lang);
    const sdk = await import('@minjiang/sdk');
    const output = flags.output ?? sdk.defaultFixedPath(args.file);
    // Naming a file with --output is asking for it; the default name must not hide a file.
    const named = flags.output !== undefined && resolve(flags.output) === resolve(args.file);
    if (!flags['dry-run'] && !flags.force && !named && (await exists(output))) {
      throw new UsageError('FILE-EXISTS', say(TEXT.exists, this.lang, { file: output }), {
        location: output,
        hint: say(TEXT.existsHint, this.lang),
      });
    }
    const resource = await loadDataResource(flags, this.lang);
    return sdk.fixDataFile(args.file, resource, {
      ...readOptions(flags),
      lang: this.lang,
      ...(flags['dry-run'] ? { dryRun: true } : { output }),
    });
  }

  protected async render(result: DataFixCommandResult): Promise<void> {
    const paint = await stdoutPaint();
    const words = TEXT[this.lang];
    for (const change of result.changes) {
      const where = `${result.file}:${change.line ?? change.row} (${change.column})`;
      process.stdout.write(`${paint.bold(where)}  ${paint.dim(`[${change.codes.join(', ')}]`)}\n`);
      process.stdout.write(`${paint.red(`  - ${change.from}`)}\n${paint.green(`  + ${change.to}`)}\n`);
    }
    const params = {
      file: result.file,
      cells: result.changedCells,
      rows: result.changedRows,
      output: result.output ?? result.file,
      omitted: result.omitted,
      ...result.remaining,
    };
    const lines: string[] = [];
    if (result.changedCells === 0) lines.push(fill(words.none, params));
    else lines.push(fill(result.written ? words.written : words.dry, params));
    if (result.omitted > 0) lines[0] += fill(words.omitted, params);
    if (result.remaining.errors + result.remaining.warnings > 0) lines.push(fill(words.remaining, params));
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}
