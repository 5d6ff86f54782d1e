import { Args } from '@oclif/core';
import type { DataValidationReport, FailOn } from '@minjiang/sdk';
import { MinjiangCommand } from '../../base-command.js';
import { loadDataResource, readOptions, requireDataFile } from '../../data-resource.js';
import { EXIT } from '../../exit-codes.js';
import { dataReadFlags, reportFlags } from '../../flags.js';
import { hubFlags } from '../../hub-connection.js';
import { dataReportAsValidation, dataSummaryLine } from '../../reports/data-report.js';
import { writeReport } from '../../reports/write-report.js';

export type DataValidateResult = DataValidationReport & { passed: boolean; failOn: FailOn };

/** Whether the counts (not only the findings kept) fail the run. */
function fails(report: DataValidationReport, failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  const { errors, warnings } = report.summary;
  return failOn === 'warning' ? errors + warnings > 0 : errors > 0;
}

export default class DataValidate extends MinjiangCommand<DataValidateResult> {
  static override summary = 'Validate a data file against its catalog resource, row by row.';
  static override description =
    "Reads CSV (UTF-8, GBK or GB18030, detected), JSON Lines or xlsx, streaming, and checks every row against the resource's information items: data type and length, required items, code tables, resident ID / USCC / organisation code check digits, dates, key uniqueness, and gender and birth date against the resident ID. Each finding names its code, the line and column, the value (masked when sensitive) and the suggested fix. The resource comes from a local catalog file with --catalog (offline), else from the hub. Exit code 1 when the report fails (see --fail-on), also when the file cannot be read as data (unbalanced quotes, a header that does not fit the resource).";
  static override examples = [
    '<%= config.bin %> data validate 人口.csv --resource 3350010001/000001 --catalog catalog.yaml',
    '<%= config.bin %> data validate 人口.csv --resource 3350010001/000001 --format junit --output report.xml',
    '<%= config.bin %> data validate rows.jsonl --resource 3350010001/000001 --format github',
  ];
  static override args = { file: Args.string({ required: true, description: 'The data file.' }) };
  static override flags = { ...dataReadFlags, ...reportFlags, ...hubFlags };

  private format = 'text';
  private output: string | undefined;

  protected async execute(): Promise<DataValidateResult> {
    const { args, flags } = await this.parse(DataValidate);
    this.format = this.json ? 'json' : flags.format;
    this.output = flags.output;
    await requireDataFile(args.file, this.lang);
    const resource = await loadDataResource(flags, this.lang);
    const { validateDataFile } = await import('@minjiang/sdk');
    const report = await validateDataFile(args.file, resource, { ...readOptions(flags), lang: this.lang });
    const failOn = flags['fail-on'] as FailOn;
    const passed = !fails(report, failOn);
    if (!passed) this.exitCode = EXIT.invalid;
    return { ...report, passed, failOn };
  }

  protected override async emit(result: DataValidateResult): Promise<void> {
    await this.render(result);
  }

  protected async render(result: DataValidateResult): Promise<void> {
    await writeReport(dataReportAsValidation(result), {
      format: this.format,
      output: this.output,
      lang: this.lang,
      labels: { json: result, suite: 'minjiang data validate', summary: dataSummaryLine(result, this.lang) },
    });
  }
}
