/**
 * `minjiang cascade sync`: the exit code a sync summary means and its lines for people
 * (docs/cascade-api.md "CLI"). 7 blocked, waiting for the admin to confirm; 6 the child could
 * not be reached; 1 a page that did not verify or a child's refusal; 5 items refused one by one;
 * 0 otherwise.
 */
import type { CascadeSyncSummary } from '@minjiang/sdk';
import type { Lang } from '@minjiang/standards';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { say, type Text } from '../lang.js';

export function syncExit(summary: CascadeSyncSummary): ExitCode {
  if (summary.blocked) return EXIT.pending;
  if (summary.error?.code === 'HUB_ERR_CASCADE_UNREACHABLE') return EXIT.unreachable;
  if (summary.error) return EXIT.invalid;
  if (summary.refused.length > 0) return EXIT.partial;
  return EXIT.ok;
}

const T: Record<string, Text> = {
  applied: {
    'zh-CN':
      '已同步 {hub}（{mode}）：新增 {create}，更新 {update}，删除 {tombstone}，未变 {unchanged}，旧版本忽略 {stale}；游标 {previous} → {next}（源头 {head}）',
    en: 'Synced {hub} ({mode}): {create} created, {update} updated, {tombstone} removed, {unchanged} unchanged, {stale} stale ignored; cursor {previous} → {next} (head {head})',
  },
  notApplied: {
    'zh-CN': '{hub} 未同步任何内容；游标仍为 {previous}',
    en: 'Nothing of {hub} was applied; the cursor stays at {previous}',
  },
  blocked: {
    'zh-CN': '已停止：{message}\n  核实后运行 minjiang cascade sync {hub} --confirm 确认删除。',
    en: 'Stopped: {message}\n  Once checked, run minjiang cascade sync {hub} --confirm to apply the removals.',
  },
  error: { 'zh-CN': '读取中断 [{code}] {message}', en: 'Reading stopped [{code}] {message}' },
  refused: {
    'zh-CN': '拒收条目 [{code}] {location} {message}',
    en: 'Refused item [{code}] {location} {message}',
  },
};

export function syncLines(summary: CascadeSyncSummary, lang: Lang): string[] {
  const { counts, cursor } = summary;
  const params = {
    hub: summary.hub,
    mode: summary.mode,
    ...counts,
    stale: counts['stale-version-ignored'],
    previous: cursor.previous,
    next: cursor.next,
    head: summary.head,
  };
  const lines = [say(summary.applied ? T.applied! : T.notApplied!, lang, params)];
  if (summary.blocked)
    lines.push(say(T.blocked!, lang, { hub: summary.hub, message: summary.blocked.message }));
  if (summary.error) lines.push(say(T.error!, lang, { ...summary.error }));
  for (const issue of summary.refused) lines.push(say(T.refused!, lang, { ...issue }));
  return lines;
}
