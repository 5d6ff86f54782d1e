import { Args } from '@oclif/core';
import type { FailOn, ValidationReport } from '@minjiang/sdk';
import { MinjiangCommand } from '../../base-command.js';
import { EXIT } from '../../exit-codes.js';
import { catalogReadFlags, reportFlags } from '../../flags.js';
import { writeReport } from '../../reports/write-report.js';

export type CatalogValidateResult = ValidationReport & { passed: boolean; failOn: FailOn };

export default class CatalogValidate extends MinjiangCommand<CatalogValidateResult> {
  static override summary = 'Validate catalog files offline against every rule of the standards.';
  static override description =
    'Reads JSON, YAML, a folder of YAML files, CSV (UTF-8, GBK or GB18030) or xlsx (Minjiang or national template). Each finding names its code, severity, the cell or line, what was found, what is allowed and how to fix it. Exit code 1 when the report fails (see --fail-on).';
  static override examples = [
    '<%= config.bin %> catalog validate catalog.xlsx',
    '<%= config.bin %> catalog validate catalog/ --format junit --output report.xml',
    '<%= config.bin %> catalog validate *.yaml --format github --fail-on warning',
  ];
  static override strict = false;
  static override args = { files: Args.string({ required: true, description: 'Catalog files or folders.' }) };
  static override flags = { ...catalogReadFlags, ...reportFlags };

  private format = 'text';
  private output: string | undefined;

  protected async execute(): Promise<CatalogValidateResult> {
    const { argv, flags } = await this.parse(CatalogValidate);
    this.format = this.json ? 'json' : flags.format;
    this.output = flags.output;
    const { readCatalog, validateCatalogs, reportFails } = await import('@minjiang/sdk');
    const catalogs = [];
    for (const path of argv as string[]) {
      catalogs.push(await readCatalog(path, flags.encoding ? { encoding: flags.encoding } : {}));
    }
    const report = validateCatalogs(catalogs, {
      lang: this.lang,
      profile: flags['code-profile'] as 'fujian' | 'national-2017',
    });
    const failOn = flags['fail-on'] as FailOn;
    const passed = !reportFails(report, failOn);
    if (!passed) this.exitCode = EXIT.invalid;
    return { ...report, passed, failOn };
  }

  protected override async emit(result: CatalogValidateResult): Promise<void> {
    await this.render(result);
  }

  protected async render(result: CatalogValidateResult): Promise<void> {
    await writeReport(result, { format: this.format, output: this.output, lang: this.lang });
  }
}
