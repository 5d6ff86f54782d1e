/**
 * `minjiang cascade return …` (docs/cascade-return.md): lines for people and the exit code a
 * pull or a copy's state means — 6 the parent could not be reached, 1 a page refused or a copy
 * that diverged from the province, 0 otherwise.
 */
import type { ReturnCopy, ReturnPull, ReturnSubscription } from '@minjiang/sdk';
import type { Lang } from '@minjiang/standards';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { say, type Text } from '../lang.js';

const T: Record<string, Text> = {
  subscription: {
    'zh-CN': '{id}  下级 {child}  资源 {resource}  {regionItem} 以 {prefix} 开头  {state}  变更序号 {head}',
    en: '{id}  child {child}  resource {resource}  {regionItem} starts with {prefix}  {state}  head {head}',
  },
  terms: {
    'zh-CN': '    数据项：{items}；脱敏：{masking}；依据：{authority}',
    en: '    items: {items}; masking: {masking}; authority: {authority}',
  },
  copy: {
    'zh-CN':
      '{subscription}  上级 {parent}  资源 {resource}  {state}  {rows} 行  游标 {cursor}  {verification}',
    en: '{subscription}  parent {parent}  resource {resource}  {state}  {rows} rows  cursor {cursor}  {verification}',
  },
  digest: {
    'zh-CN': '    本地摘要 {local}；上级 {parentRows} 行，摘要 {parent}',
    en: '    local digest {local}; parent {parentRows} rows, digest {parent}',
  },
  pull: {
    'zh-CN':
      '{subscription}：读取 {pages} 页，应用 {applied} 项变更；现有 {rows} 行，游标 {cursor}，{verification}',
    en: '{subscription}: {pages} pages read, {applied} changes applied; {rows} rows held, cursor {cursor}, {verification}',
  },
  error: { 'zh-CN': '    出错 [{code}] {message}', en: '    error [{code}] {message}' },
  issue: { 'zh-CN': '      [{code}] {location} {message}', en: '      [{code}] {location} {message}' },
  none: { 'zh-CN': '没有回流订阅', en: 'no return-flow subscriptions' },
};

const VERIFICATION: Record<string, Text> = {
  verified: { 'zh-CN': '与上级一致（已核验）', en: 'verified against the parent' },
  diverged: { 'zh-CN': '与上级不一致！', en: 'DIVERGED from the parent' },
  pending: { 'zh-CN': '尚未读到上级末端', en: "not yet at the parent's head" },
};

export function verificationText(state: string, lang: Lang): string {
  return say(VERIFICATION[state] ?? VERIFICATION.pending!, lang);
}

function errorLines(error: ReturnPull['error'] | undefined, lang: Lang): string[] {
  if (!error) return [];
  return [
    say(T.error!, lang, { ...error }),
    ...(error.issues ?? []).map((issue) => say(T.issue!, lang, { ...issue })),
  ];
}

export function subscriptionLines(subs: ReturnSubscription[], lang: Lang): string[] {
  if (subs.length === 0) return [say(T.none!, lang)];
  return subs.flatMap((sub) => [
    say(T.subscription!, lang, { ...sub }),
    say(T.terms!, lang, {
      items: sub.items.join('、'),
      masking: sub.masking,
      authority: sub.grant ?? sub.reason ?? '-',
    }),
  ]);
}

export function copyLines(copies: ReturnCopy[], lang: Lang): string[] {
  if (copies.length === 0) return [say(T.none!, lang)];
  return copies.flatMap((copy) => [
    say(T.copy!, lang, { ...copy, verification: verificationText(copy.verification, lang) }),
    say(T.digest!, lang, {
      local: copy.stateDigest,
      parent: copy.parentDigest ?? '-',
      parentRows: copy.parentRows ?? '-',
    }),
    ...errorLines(copy.lastError, lang),
  ]);
}

export function pullLines(pulls: ReturnPull[], lang: Lang): string[] {
  if (pulls.length === 0) return [say(T.none!, lang)];
  return pulls.flatMap((pull) => [
    say(T.pull!, lang, { ...pull, verification: verificationText(pull.verification, lang) }),
    ...errorLines(pull.error, lang),
  ]);
}

/** The worst of the outcomes: unreachable (6), then refused or diverged (1). */
export function returnExit(
  outcomes: { verification: string; error?: { code: string } | null | undefined }[],
): ExitCode {
  if (outcomes.some((outcome) => outcome.error?.code === 'HUB_ERR_CASCADE_UNREACHABLE'))
    return EXIT.unreachable;
  if (outcomes.some((outcome) => outcome.error || outcome.verification === 'diverged')) return EXIT.invalid;
  return EXIT.ok;
}
