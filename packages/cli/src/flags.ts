import { Flags } from '@oclif/core';

/** Flags shared by the commands that read catalog files. */
export const catalogReadFlags = {
  encoding: Flags.string({
    summary: 'Text encoding of CSV files (utf-8, gbk, gb18030); detected when absent.',
  }),
  'code-profile': Flags.string({
    summary: 'Resource-code profile of the province.',
    options: ['fujian', 'national-2017'],
    default: 'fujian',
  }),
};

/** Flags of the commands that write a validation report. */
export const reportFlags = {
  format: Flags.string({
    summary: 'Report format.',
    options: ['text', 'json', 'junit', 'github'],
    default: 'text',
  }),
  'fail-on': Flags.string({
    summary: 'Exit with 1 on any error (default), on any warning too, or never.',
    options: ['error', 'warning', 'never'],
    default: 'error',
  }),
  output: Flags.string({
    char: 'o',
    summary: 'Write the report to this file instead of stdout (e.g. a JUnit XML for CI).',
  }),
};

/** Flags of the commands that read a data file against a catalog resource. */
export const dataReadFlags = {
  resource: Flags.string({
    char: 'r',
    summary: 'Code of the catalog resource whose information items the file holds.',
    required: true,
  }),
  catalog: Flags.string({
    summary: 'Read the resource from this local catalog file (offline) instead of the hub.',
  }),
  encoding: Flags.string({
    summary: 'Text encoding of a CSV file (utf-8, gbk, gb18030); detected when absent.',
  }),
  'file-format': Flags.string({
    summary: 'Format of the data file; taken from its extension when absent.',
    options: ['csv', 'jsonl', 'xlsx'],
  }),
};
