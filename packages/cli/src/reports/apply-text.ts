import type { Lang } from '@minjiang/standards';
import type { ApplyResult, ResourceOutcome, ReviewWait } from '@minjiang/sdk';
import { fill } from '../lang.js';
import type { Paint } from './text.js';

const WORDS = {
  'zh-CN': {
    summary:
      '新建 {created}，更新 {updated}，未变 {unchanged}，撤回 {withdrawn}，失败 {failed}，跳过 {skipped}；提交审核 {submitted}',
    receipts: '回执 {count} 份已验签并保存在 {dir}',
    review: '审核：通过 {published}，驳回 {rejected}，仍待审核 {pending}',
    result: {
      created: '新建',
      updated: '更新',
      unchanged: '未变',
      withdrawn: '撤回',
      failed: '失败',
      skipped: '跳过',
    },
  },
  en: {
    summary:
      '{created} created, {updated} updated, {unchanged} unchanged, {withdrawn} withdrawn, {failed} failed, {skipped} skipped; {submitted} submitted for review',
    receipts: '{count} receipt(s) verified and saved in {dir}',
    review: 'review: {published} published, {rejected} rejected, {pending} still pending',
    result: {
      created: 'created',
      updated: 'updated',
      unchanged: 'unchanged',
      withdrawn: 'withdrawn',
      failed: 'failed',
      skipped: 'skipped',
    },
  },
};

function outcomeLine(outcome: ResourceOutcome, lang: Lang, paint: Paint): string[] {
  const label = WORDS[lang].result[outcome.result];
  const bad = outcome.result === 'failed' || outcome.result === 'skipped';
  const lines = [(bad ? paint.red : paint.green)(`${label}\t${outcome.code}`)];
  if (outcome.error) lines.push(`  [${outcome.error.code}] ${outcome.error.message}`);
  for (const issue of outcome.error?.issues ?? [])
    lines.push(`    ${issue.code} ${issue.location} ${issue.message}`);
  if (outcome.conflicts?.length) lines.push(`  ${outcome.conflicts.join(' ')}`);
  if (outcome.submitError) lines.push(`  [${outcome.submitError.code}] ${outcome.submitError.message}`);
  return lines;
}

/** Every resource that was written or failed, then the counts; unchanged ones are only counted. */
export function renderApply(result: ApplyResult & { review?: ReviewWait }, lang: Lang, paint: Paint): string {
  const words = WORDS[lang];
  const lines = result.outcomes
    .filter((outcome) => outcome.result !== 'unchanged')
    .flatMap((outcome) => outcomeLine(outcome, lang, paint));
  lines.push(fill(words.summary, { ...result.summary }));
  if (result.receipts.length > 0) {
    lines.push(fill(words.receipts, { count: result.receipts.length, dir: '.minjiang/receipts' }));
  }
  if (result.review) {
    const { published, rejected, pending } = result.review;
    lines.push(
      fill(words.review, { published: published.length, rejected: rejected.length, pending: pending.length }),
    );
  }
  return `${lines.join('\n')}\n`;
}
