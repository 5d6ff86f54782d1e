import { access } from 'node:fs/promises';
import { Args, Flags } from '@oclif/core';
import { MinjiangCommand } from '../../base-command.js';
import { UsageError } from '../../exit-codes.js';
import { say } from '../../lang.js';

export type CatalogTemplateResult = { file: string; template: 'minjiang' | 'national' };

const TEXT = {
  exists: { 'zh-CN': '{file} 已存在', en: '{file} already exists' },
  existsHint: {
    'zh-CN': '换一个文件名，或加 --force 覆盖。',
    en: 'Choose another name, or pass --force to overwrite it.',
  },
  done: {
    'zh-CN': '✔ 已写出目录模板 {file}：“目录”表每个信息项一行，枚举列带下拉选项，“填写说明”表说明每一列',
    en: '✔ wrote the catalog template {file}: one row per information item in 目录, dropdowns on every enumeration, instructions in 填写说明',
  },
};

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

export default class CatalogTemplate extends MinjiangCommand<CatalogTemplateResult> {
  static override summary =
    'Write the Excel catalog template: dropdowns for every enumeration, instructions in Chinese.';
  static override examples = [
    '<%= config.bin %> catalog template',
    '<%= config.bin %> catalog template 市场监管局目录.xlsx',
    '<%= config.bin %> catalog template national.xlsx --national',
  ];
  static override args = {
    file: Args.string({ description: 'Where to write it.', default: 'minjiang-catalog-template.xlsx' }),
  };
  static override flags = {
    national: Flags.boolean({
      summary: 'The national (发改 1272) template layout, with Minjiang extension columns.',
    }),
    force: Flags.boolean({ summary: 'Overwrite an existing file.' }),
  };

  protected async execute(): Promise<CatalogTemplateResult> {
    const { args, flags } = await this.parse(CatalogTemplate);
    if (!flags.force && (await exists(args.file))) {
      throw new UsageError('FILE-EXISTS', say(TEXT.exists, this.lang, args), {
        location: args.file,
        hint: say(TEXT.existsHint, this.lang),
      });
    }
    const formats = await import('@minjiang/sdk');
    if (flags.national) await formats.writeCatalog(args.file, { resources: [] }, 'xlsx-national');
    else await formats.writeCatalogTemplate(args.file);
    return { file: args.file, template: flags.national ? 'national' : 'minjiang' };
  }

  protected render(result: CatalogTemplateResult): void {
    process.stdout.write(`${say(TEXT.done, this.lang, result)}\n`);
  }
}
