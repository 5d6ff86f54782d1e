import { Args, Flags } from '@oclif/core';
import type { RateLimitState, VerifyResult } from '@minjiang/sdk';
import { MinjiangCommand } from '../../base-command.js';
import { EXIT } from '../../exit-codes.js';
import { say } from '../../lang.js';
import { exchangeFlags, withExchange } from '../../share/exchange-connection.js';
import { readSubjects } from '../../share/subjects.js';

export interface ShareVerifyResult {
  grant: string;
  service: string;
  file: string;
  summary: { subjects: number; match: number; mismatch: number; notFound: number };
  results: VerifyResult[];
  requestIds: string[];
  rateLimit: RateLimitState;
}

const TEXT = {
  line: { 'zh-CN': '{ref}  {verdict}{fields}', en: '{ref}  {verdict}{fields}' },
  summary: {
    'zh-CN': '核验 {subjects} 个对象：一致 {match}，不一致 {mismatch}，未找到 {notFound}',
    en: 'verified {subjects} subject(s): {match} MATCH, {mismatch} MISMATCH, {notFound} NOT_FOUND',
  },
};

export default class ShareVerify extends MinjiangCommand<ShareVerifyResult> {
  static override summary =
    'Verify values against a granted resource (核验): a verdict per subject, never a value.';
  static override description =
    'Calls POST /ses/r1/{service}/verify under a VERIFY grant with the subjects of a file (JSON, or CSV/XLSX/JSON Lines with a header of technical field names; the key fields are required, `ref` optional). Sent in batches of 100; each subject counts against the quota. Exit codes: 0 every subject MATCH, 1 any MISMATCH or NOT_FOUND, 3 refused, 5 quota or rate limit (429).';
  static override examples = [
    '<%= config.bin %> share verify urn:ses:grant:350000:2026:2 --file subjects.csv',
    '<%= config.bin %> share verify urn:ses:grant:350000:2026:2 --file subjects.json --json',
  ];
  static override args = {
    grant: Args.string({ required: true, description: 'The grant id (a VERIFY grant).' }),
  };
  static override flags = {
    ...exchangeFlags,
    file: Flags.string({ char: 'f', summary: 'The subjects: .json, .csv, .xlsx or .jsonl.', required: true }),
  };

  protected async execute(): Promise<ShareVerifyResult> {
    const { args, flags } = await this.parse(ShareVerify);
    const subjects = await readSubjects(flags.file, this.lang);
    return withExchange(args.grant, flags, this.lang, async ({ exchange, terms }) => {
      const answer = await exchange.verify(subjects);
      const count = (verdict: string) => answer.results.filter((r) => r.verdict === verdict).length;
      const summary = {
        subjects: answer.results.length,
        match: count('MATCH'),
        mismatch: count('MISMATCH'),
        notFound: count('NOT_FOUND'),
      };
      if (summary.match !== summary.subjects) this.exitCode = EXIT.invalid;
      return { grant: args.grant, service: terms.service, file: flags.file, summary, ...answer };
    });
  }

  protected render(result: ShareVerifyResult): void {
    const lines = result.results.map((r) => {
      const fields = Object.entries(r.fields)
        .map(([field, verdict]) => `${field}=${verdict}`)
        .join(' ');
      return say(TEXT.line, this.lang, { ...r, fields: fields ? `  ${fields}` : '' });
    });
    lines.push(say(TEXT.summary, this.lang, { ...result.summary }));
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}
