import { Args, Flags } from '@oclif/core';
import type { CatalogFix, SourceLocation } from '@minjiang/sdk';
import { MinjiangCommand } from '../../base-command.js';
import { catalogReadFlags } from '../../flags.js';
import { fill } from '../../lang.js';
import { stdoutPaint } from '../../ui/paint.js';

export type CatalogFixResult = {
  file: string;
  format: string;
  fixes: (CatalogFix & { location: SourceLocation })[];
  written: 'file' | 'patch' | 'none';
  patchFile?: string;
};

const TEXT = {
  'zh-CN': {
    none: '{file}：没有可机械修正的内容',
    dry: '{count} 处修正（--dry-run：未写入）',
    file: '✔ 已修正 {count} 处，写回 {file}',
    patch: '✔ {count} 处修正已写为 JSON Patch：{patch}',
  },
  en: {
    none: '{file}: nothing to fix mechanically',
    dry: '{count} fix(es) (--dry-run: nothing written)',
    file: '✔ {count} fix(es) written back to {file}',
    patch: '✔ {count} fix(es) written as a JSON Patch: {patch}',
  },
};

function show(value: unknown): string {
  return value === undefined ? '∅' : JSON.stringify(value);
}

export default class CatalogFixCommand extends MinjiangCommand<CatalogFixResult> {
  static override summary =
    'Fix what can be fixed mechanically: full-width characters, spaces, labels, dates, case.';
  static override description =
    'Proposes every safe mechanical correction: full-width to half-width, stray whitespace, aliases and English labels to the standard values (有条件 → 有条件共享, daily → 每日), Excel serial dates and 2023年5月1日-style dates to ISO, the letter case of codes, empty list entries from duplicate separators. Writes them back into the same file in its own format (an xlsx stays an xlsx, YAML comments are kept), or as a JSON Patch with --patch; --dry-run only shows them.';
  static override examples = [
    '<%= config.bin %> catalog fix catalog.xlsx --dry-run',
    '<%= config.bin %> catalog fix catalog.xlsx',
    '<%= config.bin %> catalog fix catalog.yaml --patch fixes.json',
  ];
  static override args = {
    file: Args.string({ required: true, description: 'The catalog file or folder.' }),
  };
  static override flags = {
    ...catalogReadFlags,
    'dry-run': Flags.boolean({ summary: 'Show the fixes; write nothing.' }),
    patch: Flags.string({ summary: 'Write the fixes as an RFC 6902 JSON Patch to this file instead.' }),
  };

  protected async execute(): Promise<CatalogFixResult> {
    const { args, flags } = await this.parse(CatalogFixCommand);
    const sdk = await import('@minjiang/sdk');
    const loaded = await sdk.readCatalog(args.file, flags.encoding ? { encoding: flags.encoding } : {});
    const fixes = sdk.planCatalogFixes(loaded, { lang: this.lang });
    const located = fixes.map((fix) => ({ ...fix, location: loaded.locate(fix.pointer) }));
    const result: CatalogFixResult = {
      file: args.file,
      format: loaded.format,
      fixes: located,
      written: 'none',
    };
    if (fixes.length === 0 || flags['dry-run']) return result;
    if (flags.patch) {
      await sdk.writeFileAtomic(flags.patch, `${JSON.stringify(sdk.fixesToJsonPatch(fixes), null, 2)}\n`);
      return { ...result, written: 'patch', patchFile: flags.patch };
    }
    const fixed = sdk.applyCatalogFixes(loaded, fixes);
    await sdk.writeBackCatalog(loaded, fixed, [...new Set(fixes.map((fix) => fix.pointer))]);
    return { ...result, written: 'file' };
  }

  protected async render(result: CatalogFixResult): Promise<void> {
    const { formatLocation } = await import('@minjiang/sdk');
    const paint = await stdoutPaint();
    const words = TEXT[this.lang];
    for (const fix of result.fixes) {
      process.stdout.write(
        `${paint.bold(formatLocation(fix.location))}  ${paint.dim(`[${fix.kind}] ${fix.message}`)}\n`,
      );
      process.stdout.write(`${paint.red(`  - ${show(fix.from)}`)}\n`);
      if (fix.op === 'replace') process.stdout.write(`${paint.green(`  + ${show(fix.to)}`)}\n`);
    }
    const params = { file: result.file, count: result.fixes.length, patch: result.patchFile ?? '' };
    const line =
      result.fixes.length === 0 ? words.none : words[result.written === 'none' ? 'dry' : result.written];
    process.stdout.write(`${fill(line, params)}\n`);
  }
}
