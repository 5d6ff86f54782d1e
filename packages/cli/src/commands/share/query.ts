import { Args, Flags } from '@oclif/core';
import type { ExchangeClient, ExchangePage, ExchangeQuery, ExchangeRow, RateLimitState } from '@minjiang/sdk';
import { MinjiangCommand } from '../../base-command.js';
import { EXIT, UsageError } from '../../exit-codes.js';
import { say } from '../../lang.js';
import { exchangeFlags, withExchange } from '../../share/exchange-connection.js';

export interface ShareQueryResult {
  grant: string;
  service: string;
  /** The masking profile the hub applied (SES-Masking). */
  masking: string | null;
  fields: string[];
  rows: ExchangeRow[];
  pages: number;
  /** The cursor of the next page, when there is one (`--cursor` continues there). */
  next?: string;
  /** False when a limit (429) stopped `--all` before the last page: exit 5. */
  complete: boolean;
  stopped?: { code: string; message: string; retryAfter?: number };
  rateLimit: RateLimitState;
  requestIds: string[];
}

const TEXT = {
  summary: {
    'zh-CN': '{rows} 行（{pages} 页），脱敏规则 {masking}{left}{next}',
    en: '{rows} row(s) in {pages} page(s), masking {masking}{left}{next}',
  },
  left: { 'zh-CN': '；今日剩余 {remaining} 次', en: '; {remaining} call(s) left today' },
  next: { 'zh-CN': '；下一页：--cursor {next}', en: '; next page: --cursor {next}' },
  stopped: {
    'zh-CN': '在第 {pages} 页后停止：{message}（{retryAfter} 秒后可继续：--cursor {next}）',
    en: 'stopped after page {pages}: {message} (continue in {retryAfter} s with --cursor {next})',
  },
  where: {
    'zh-CN': '--where 需要“信息项=值”的形式，收到“{where}”',
    en: '--where takes FIELD=VALUE, got "{where}"',
  },
  whereHint: {
    'zh-CN': '信息项用技术名称（如 HJDXZQH=350102），可重复多次；同一信息项只能给一次。',
    en: 'Fields are technical names (e.g. HJDXZQH=350102); repeat --where for more; each field once.',
  },
};

/** `FIELD=VALUE` conditions; a field given twice is refused (the hub would too). */
export function conditionsOf(where: string[], lang: 'zh-CN' | 'en'): Record<string, string> {
  const conditions: Record<string, string> = {};
  for (const condition of where) {
    const at = condition.indexOf('=');
    const field = condition.slice(0, at).trim();
    if (at <= 0 || !field || field in conditions)
      throw new UsageError('WHERE-SYNTAX', say(TEXT.where, lang, { where: condition }), {
        hint: say(TEXT.whereHint, lang),
      });
    conditions[field] = condition.slice(at + 1);
  }
  return conditions;
}

/** One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export default class ShareQuery extends MinjiangCommand<ShareQueryResult> {
  static override summary =
    'Query a granted resource: masked rows within the grant, signed with its credential.';
  static override description =
    'Calls GET /ses/r1/{service}/rows under the grant (docs/exchange-api.md), signed with the saved credential (`share credentials --save`) or MINJIANG_APP_KEY / MINJIANG_APP_SECRET. Only granted fields can be asked for or filtered on; rows are masked by the grant’s profile and never outside its row filter. Exit codes: 0 ok, 3 refused (401/403), 5 quota or rate limit (429, Retry-After shown), 6 hub unavailable.';
  static override examples = [
    '<%= config.bin %> share query urn:ses:grant:350000:2026:1 --where HJDXZQH=350102 --fields XM,CSRQ',
    '<%= config.bin %> share query urn:ses:grant:350000:2026:1 --all --format csv > rows.csv',
  ];
  static override args = { grant: Args.string({ required: true, description: 'The grant id.' }) };
  static override flags = {
    ...exchangeFlags,
    where: Flags.string({
      summary: 'A condition FIELD=VALUE on a granted field. Repeatable.',
      multiple: true,
    }),
    fields: Flags.string({
      summary: 'The granted fields to return, comma-separated (default: all granted).',
    }),
    limit: Flags.integer({ summary: 'Rows per page, 1–500 (hub default 100).', min: 1, max: 500 }),
    cursor: Flags.string({ summary: 'Continue at this page (the `next` of an earlier answer).' }),
    all: Flags.boolean({ summary: 'Follow the cursor to the last page.' }),
    format: Flags.string({
      summary: 'Output for people: text (tab-separated) or csv.',
      options: ['text', 'csv'],
      default: 'text',
    }),
  };

  private format = 'text';

  protected async execute(): Promise<ShareQueryResult> {
    const { args, flags } = await this.parse(ShareQuery);
    this.format = flags.format;
    const query: ExchangeQuery = {
      conditions: conditionsOf(flags.where ?? [], this.lang),
      ...(flags.fields
        ? {
            fields: flags.fields
              .split(',')
              .map((f) => f.trim())
              .filter(Boolean),
          }
        : {}),
      ...(flags.limit ? { limit: flags.limit } : {}),
      ...(flags.cursor ? { cursor: flags.cursor } : {}),
    };
    return withExchange(args.grant, flags, this.lang, async ({ exchange, terms }) => {
      const result = await this.collect(exchange, query, flags.all);
      return { ...result, grant: args.grant, service: terms.service };
    });
  }

  /** One page, or every page with --all; a limit after the first page ends it as partial (exit 5). */
  private async collect(exchange: ExchangeClient, query: ExchangeQuery, all: boolean) {
    const { ExchangeLimitError } = await import('@minjiang/sdk');
    const result: Omit<ShareQueryResult, 'grant' | 'service'> = {
      masking: null,
      fields: [],
      rows: [],
      pages: 0,
      complete: true,
      rateLimit: {},
      requestIds: [],
    };
    let cursor = query.cursor;
    do {
      let page: ExchangePage;
      try {
        page = await exchange.query({ ...query, ...(cursor ? { cursor } : {}) });
      } catch (error) {
        if (!(error instanceof ExchangeLimitError) || result.pages === 0) throw error;
        this.exitCode = EXIT.partial;
        const retryAfter = error.retryAfter;
        return {
          ...result,
          complete: false,
          stopped: {
            code: error.code,
            message: error.message,
            ...(retryAfter !== undefined ? { retryAfter } : {}),
          },
        };
      }
      Object.assign(result, {
        masking: page.masking ?? page.meta.masking,
        fields: page.meta.fields,
        rateLimit: page.rateLimit,
      });
      result.rows.push(...page.rows);
      result.pages += 1;
      result.requestIds.push(page.requestId);
      cursor = page.next;
      if (cursor) result.next = cursor;
      else delete result.next;
    } while (all && cursor);
    return result;
  }

  protected render(result: ShareQueryResult): void {
    const separator = this.format === 'csv' ? ',' : '\t';
    const cell = this.format === 'csv' ? csvField : (value: string) => value.replace(/[\t\r\n]/g, ' ');
    const lines = [result.fields.map(cell).join(separator)];
    for (const row of result.rows)
      lines.push(result.fields.map((field) => cell(row[field] ?? '')).join(separator));
    process.stdout.write(`${lines.join('\n')}\n`);
    const left =
      result.rateLimit.remaining === undefined ? '' : say(TEXT.left, this.lang, { ...result.rateLimit });
    const next = result.next && result.complete ? say(TEXT.next, this.lang, { next: result.next }) : '';
    const masking = result.masking ?? '-';
    this.note(
      say(TEXT.summary, this.lang, { rows: result.rows.length, pages: result.pages, masking, left, next }),
    );
    if (result.stopped)
      this.note(
        say(TEXT.stopped, this.lang, { ...result.stopped, pages: result.pages, next: result.next ?? '' }),
      );
  }
}
