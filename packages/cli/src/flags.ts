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
