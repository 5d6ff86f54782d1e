/**
 * What to do about a refused exchange call, per SES-Error code (exchange/error-1.0). The hub's
 * message says what was refused; this says how to go on, with the Retry-After and request id a
 * support desk asks for.
 */
import type { Lang } from '@minjiang/standards';
import { ExchangeError } from '@minjiang/sdk';
import { say, type Text } from '../lang.js';

const ADVICE: Record<string, Text> = {
  'CLI.KEY_UNKNOWN': {
    'zh-CN':
      '应用密钥未知或已撤销：用 `minjiang share credentials <授权> --rotate --save` 换发并保存新凭证。',
    en: 'The app key is unknown or revoked: issue and save a new one with `minjiang share credentials <grant> --rotate --save`.',
  },
  'CLI.SIG_INVALID': {
    'zh-CN': '签名无效：密钥与应用密钥不符。检查 MINJIANG_APP_SECRET 或保存的凭证。',
    en: 'The signature is invalid: the secret does not belong to the app key. Check MINJIANG_APP_SECRET or the saved credential.',
  },
  'CLI.TIMESTAMP_SKEW': {
    'zh-CN': '本机时钟与枢纽相差超过 300 秒：校准系统时间（NTP）后重试。',
    en: 'This machine’s clock is more than 300 s off the hub’s: synchronise it (NTP) and try again.',
  },
  'CLI.NONCE_REPLAY': {
    'zh-CN': '请求被判定为重放：直接重试即可。',
    en: 'Taken for a replay: simply try again.',
  },
  'HUB.GRANT_NONE': {
    'zh-CN': '该授权不属于本单位，或凭证属于另一项授权：用 `minjiang share credentials <授权> --list` 核对。',
    en: 'The grant is not your organisation’s, or the credential belongs to another grant: check with `minjiang share credentials <grant> --list`.',
  },
  'HUB.GRANT_SUSPENDED': {
    'zh-CN': '授权已被暂停：用 `minjiang share status <申请>` 查看原因，待恢复后再调用。',
    en: 'The grant is suspended: see why with `minjiang share status <application>`; call again once it is resumed.',
  },
  'HUB.GRANT_EXPIRED': {
    'zh-CN': '授权已过期或被撤销：需重新申请（`minjiang share apply`）。',
    en: 'The grant has expired or was revoked: apply again (`minjiang share apply`).',
  },
  'HUB.PURPOSE_MISMATCH': {
    'zh-CN': '用途与授权不符：只能按授权批准的用途调用。',
    en: 'The purpose is not the grant’s: call only for the purpose it was granted for.',
  },
  'HUB.FIELD_NOT_GRANTED': {
    'zh-CN': '只能查询、筛选授权的信息项（--fields、--where）；其他信息项需另行申请。',
    en: 'Only granted fields may be asked for or filtered on (--fields, --where); apply for others separately.',
  },
  'HUB.QUOTA_EXCEEDED': {
    'zh-CN': '今日调用配额已用完：{retry}后再调用。',
    en: 'Today’s quota is used up: call again {retry}.',
  },
  'HUB.RATE_LIMITED': {
    'zh-CN': '超过每秒调用频率：{retry}后重试，或加 --retry 自动等待。',
    en: 'Too many calls a second: try again {retry}, or add --retry to wait automatically.',
  },
  'HUB.LOG_UNAVAILABLE': {
    'zh-CN': '枢纽无法写入审计日志，未发出任何数据：稍后重试。',
    en: 'The hub could not write its audit log and released nothing: try again later.',
  },
};

const RETRY: Text = { 'zh-CN': '{seconds} 秒（Retry-After）', en: 'in {seconds} s (Retry-After)' };
const LATER: Text = { 'zh-CN': '稍后', en: 'later' };
const REQUEST: Text = { 'zh-CN': '请求编号 {requestId}', en: 'request id {requestId}' };

/** The refusal with a hint in the user's language; any other error unchanged. */
export function withAdvice(error: unknown, lang: Lang): unknown {
  if (!(error instanceof ExchangeError)) return error;
  const retry =
    error.retryAfter === undefined ? say(LATER, lang) : say(RETRY, lang, { seconds: error.retryAfter });
  const advice = ADVICE[error.code];
  const parts = [
    advice ? say(advice, lang, { retry }) : error.hint,
    error.retryAfter === undefined ? '' : `Retry-After: ${error.retryAfter}`,
  ];
  if (error.requestId) parts.push(say(REQUEST, lang, { requestId: error.requestId }));
  return ExchangeError.generate({
    status: error.status,
    code: error.code,
    message: error.message,
    requestId: error.requestId,
    retryAfter: error.retryAfter,
    origin: error.origin,
    hint: parts.filter(Boolean).join(' '),
    location: error.location ?? '',
  });
}
