/**
 * What the cascade registry commands share: the exit code a registration state means, how a
 * refusal relayed from the parent hub becomes an error with the right exit code, and the lines
 * that show a child or a parent to people.
 */
import {
  HubAPIError,
  HubConnectionError,
  MinjiangError,
  type CascadeChild,
  type CascadeParent,
  type CascadeState,
} from '@minjiang/sdk';
import type { Issue, Lang } from '@minjiang/standards';
import { CredentialsError, EXIT, type ExitCode } from '../exit-codes.js';
import { say, type Text } from '../lang.js';

/** 0 approved, 7 waiting for the province, 3 refused or revoked (not allowed to cascade). */
export function stateExit(state: CascadeState): ExitCode {
  if (state === 'APPROVED') return EXIT.ok;
  if (state === 'PENDING') return EXIT.pending;
  return EXIT.auth;
}

// What the parent's own refusal means for the person at the city: their registration was not
// acceptable (1); the parent does not trust, or no longer trusts, this hub's key (3).
const REFUSED = new Set([
  'HUB_ERR_CASCADE_REGISTRATION',
  'HUB_ERR_CASCADE_REPLAY',
  'HUB_ERR_CASCADE_HUB_EXISTS',
  'HUB_ERR_CASCADE_ROLE',
  'HUB_ERR_VALIDATION',
]);

const T: Record<string, Text> = {
  parentSays: { 'zh-CN': '上级平台答复：{message}', en: 'The parent hub answered: {message}' },
  incompatible: {
    'zh-CN': '上级平台的答复不是级联接口的答复：{message}',
    en: 'The parent hub does not answer as a cascade API does: {message}',
  },
  incompatibleHint: {
    'zh-CN': '检查 --parent-url 是否指向省级平台的地址，以及省级平台的版本。',
    en: "Check that --parent-url is the provincial hub's address, and the province's version.",
  },
};

interface ParentBody {
  code?: string;
  message?: string;
  hint?: string;
  issues?: Issue[];
}

function issueText(issues: Issue[] | undefined): string {
  return (issues ?? []).map((issue) => `${issue.code} ${issue.location} ${issue.message}`).join('；');
}

/**
 * A refusal the hub relayed from its parent (`HUB_ERR_CASCADE_PARENT_ANSWER`) as the parent's own
 * code and message, with the exit code it means; any other error as it is.
 */
export function relayedError(error: unknown, lang: Lang): unknown {
  if (!(error instanceof HubAPIError)) return error;
  if (error.code === 'HUB_ERR_CASCADE_PARENT_KEY')
    return new CredentialsError(error.code, error.message, hintOf(error));
  if (error.code !== 'HUB_ERR_CASCADE_PARENT_ANSWER') return error;
  const relayed = (error.body as { parent?: unknown } | null)?.parent;
  const parent = (typeof relayed === 'object' && relayed !== null ? relayed : {}) as ParentBody;
  const code = parent.code;
  // Not a hub's coded refusal (a proxy's page, another service): the URL is probably wrong.
  if (typeof code !== 'string')
    return new HubConnectionError(
      'HUB-INCOMPATIBLE',
      say(T.incompatible!, lang, { message: error.message }),
      {
        hint: say(T.incompatibleHint!, lang),
      },
    );
  const details = issueText(parent.issues);
  const message = say(T.parentSays!, lang, {
    message: `${parent.message ?? code}${details ? `：${details}` : ''}`,
  });
  const options = parent.hint ? { hint: parent.hint } : {};
  if (REFUSED.has(code)) return new MinjiangError(code, message, options);
  if (code === 'HUB_ERR_FORBIDDEN' || code.startsWith('CLI.'))
    return new CredentialsError(code, message, options);
  return new HubConnectionError(code, message, options);
}

function hintOf(error: MinjiangError) {
  return error.hint ? { hint: error.hint } : {};
}

const L: Record<string, Text> = {
  child: {
    'zh-CN': '{hub}  {name}  [{state}]  {baseUrl}  密钥 {keyId}',
    en: '{hub}  {name}  [{state}]  {baseUrl}  key {keyId}',
  },
  reason: { 'zh-CN': '    理由：{reason}', en: '    reason: {reason}' },
  decided: { 'zh-CN': '    {at} 由 {by} 决定', en: '    decided {at} by {by}' },
  parent: {
    'zh-CN': '上级平台 {hub}  [{state}]  {baseUrl}',
    en: 'Parent hub {hub}  [{state}]  {baseUrl}',
  },
  parentKey: { 'zh-CN': '    上级节点密钥 {keyId}{pinned}', en: "    parent's node key {keyId}{pinned}" },
  pinned: { 'zh-CN': '（已登记信任）', en: ' (pinned, trusted)' },
  offered: { 'zh-CN': '（待批准后信任）', en: ' (trusted once approved)' },
};

export function childLines(child: CascadeChild, lang: Lang): string[] {
  const lines = [say(L.child!, lang, { ...child })];
  if (child.reason) lines.push(say(L.reason!, lang, { reason: child.reason }));
  if (child.decidedAt) lines.push(say(L.decided!, lang, { at: child.decidedAt, by: child.decidedBy ?? '-' }));
  return lines;
}

export function parentLines(parent: CascadeParent, lang: Lang): string[] {
  const lines = [say(L.parent!, lang, { ...parent })];
  if (parent.keyId) {
    const pinned = say(parent.state === 'APPROVED' ? L.pinned! : L.offered!, lang);
    lines.push(say(L.parentKey!, lang, { keyId: parent.keyId, pinned }));
  }
  if (parent.reason) lines.push(say(L.reason!, lang, { reason: parent.reason }));
  return lines;
}
