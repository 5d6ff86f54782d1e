import { Args, Flags } from '@oclif/core';
import type { CatalogDiff } from '@minjiang/sdk';
import { MinjiangCommand } from '../../base-command.js';
import { EXIT } from '../../exit-codes.js';
import { catalogReadFlags } from '../../flags.js';
import { fill } from '../../lang.js';

export type CatalogDiffResult = CatalogDiff & { before: string; after: string; breakingOnly: boolean };

const TEXT = {
  'zh-CN': {
    summary: '新增 {added} 个、删除 {removed} 个、修改 {changed} 个资源；{breaking} 项不兼容变更',
    breaking: '不兼容',
  },
  en: {
    summary: '{added} added, {removed} removed, {changed} changed resource(s); {breaking} breaking change(s)',
    breaking: 'BREAKING',
  },
};

export default class CatalogDiffCommand extends MinjiangCommand<CatalogDiffResult> {
  static override summary =
    'Compare two versions of a catalog; --breaking fails on changes that break consumers.';
  static override description =
    'Breaking changes: a removed resource or information item, an item whose data type changed or whose length shrank, a change of key items, a share or open type made stricter. With --breaking the exit code is 1 when any is found, so a pipeline can stop a release that would break the departments using the data.';
  static override examples = [
    '<%= config.bin %> catalog diff catalog-2024.yaml catalog.yaml',
    '<%= config.bin %> catalog diff main.xlsx branch.xlsx --breaking --json',
  ];
  static override args = {
    before: Args.string({ required: true, description: 'The earlier catalog.' }),
    after: Args.string({ required: true, description: 'The later catalog.' }),
  };
  static override flags = {
    ...catalogReadFlags,
    breaking: Flags.boolean({ summary: 'Exit with 1 when there is any breaking change.' }),
  };

  protected async execute(): Promise<CatalogDiffResult> {
    const { args, flags } = await this.parse(CatalogDiffCommand);
    const { readCatalog, diffCatalogs } = await import('@minjiang/sdk');
    const options = flags.encoding ? { encoding: flags.encoding } : {};
    const before = await readCatalog(args.before, options);
    const after = await readCatalog(args.after, options);
    const diff = diffCatalogs(before, after, { lang: this.lang });
    if (flags.breaking && diff.breaking.length > 0) this.exitCode = EXIT.invalid;
    return { ...diff, before: args.before, after: args.after, breakingOnly: flags.breaking === true };
  }

  protected render(result: CatalogDiffResult): void {
    const words = TEXT[this.lang];
    const lines: string[] = [];
    if (!result.breakingOnly) {
      lines.push(...result.added.map((code) => `+ ${code}`), ...result.removed.map((code) => `- ${code}`));
      for (const change of result.changed) lines.push(`~ ${change.code}  ${change.pointers.join(' ')}`);
    }
    for (const change of result.breaking) {
      lines.push(
        `! ${words.breaking} ${change.code} ${change.pointer ?? ''} ${change.message}`.replace(/ +/g, ' '),
      );
    }
    const counts = {
      added: result.added.length,
      removed: result.removed.length,
      changed: result.changed.length,
      breaking: result.breaking.length,
    };
    lines.push(fill(words.summary, counts));
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}
