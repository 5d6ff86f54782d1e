import type { Lang } from '@minjiang/standards';
import type { Application, ApplicationState, NextStep } from '@minjiang/sdk';
import { say, type Text } from '../lang.js';

/** `share status --json`: the state and who must act next, with the deadline in China time. */
export interface ShareStatus {
  id: string;
  resourceCode: string;
  state: ApplicationState;
  final: boolean;
  next: NextStep & {
    /** The deadline as a China wall-clock time, `YYYY-MM-DD HH:mm` (UTC+8). */
    deadlineChina: string | null;
    /** Seconds until the deadline; negative when it has passed. */
    secondsLeft: number | null;
    overdue: boolean;
  };
  reason?: string;
  grant?: string;
  breachedAt?: string;
}

const STATES: Record<ApplicationState, Text> = {
  DRAFT: { 'zh-CN': '草稿', en: 'draft' },
  SUBMITTED: { 'zh-CN': '已提交', en: 'submitted' },
  PRECHECK: { 'zh-CN': '平台预审', en: 'platform precheck' },
  PROVIDER_REVIEW: { 'zh-CN': '提供方审核', en: 'provider review' },
  OFFERED: { 'zh-CN': '提供方已提出条件', en: 'offer made' },
  ACCEPTED: { 'zh-CN': '已接受条件', en: 'offer accepted' },
  APPROVED: { 'zh-CN': '已批准', en: 'approved' },
  ACTIVE: { 'zh-CN': '使用中', en: 'active' },
  SUSPENDED: { 'zh-CN': '已暂停', en: 'suspended' },
  REJECTED: { 'zh-CN': '已驳回', en: 'rejected' },
  ESCALATED: { 'zh-CN': '已提请主管部门协调', en: 'escalated' },
  WITHDRAWN: { 'zh-CN': '已撤回', en: 'withdrawn' },
  EXPIRED: { 'zh-CN': '已过期', en: 'expired' },
  REVOKED: { 'zh-CN': '已撤销', en: 'revoked' },
};

const PARTIES: Record<NextStep['party'], Text> = {
  applicant: { 'zh-CN': '申请方', en: 'the applicant' },
  provider: { 'zh-CN': '提供方', en: 'the provider' },
  platform: { 'zh-CN': '平台（主管部门）', en: 'the platform (主管部门)' },
  requester: { 'zh-CN': '需求方', en: 'the requester' },
  nobody: { 'zh-CN': '无', en: 'nobody' },
};

const ROLES: Record<string, Text> = {
  officer: { 'zh-CN': '数据专员', en: 'officer' },
  reviewer: { 'zh-CN': '审核员', en: 'reviewer' },
  admin: { 'zh-CN': '管理员', en: 'administrator' },
};

/** The command that takes each action, for the hint under the status. */
const COMMANDS: Record<string, string> = {
  submit: 'share submit {id}',
  activate: 'share credentials {id}',
  approve: 'share review {id} approve',
  offer: 'share review {id} offer',
  reject: 'share review {id} reject --reason …',
  accept: 'share accept {id}',
  escalate: 'share escalate {id} --reason …',
  withdraw: 'share withdraw {id}',
  suspend: 'share suspend {id} --reason …',
  resume: 'share resume {id}',
  revoke: 'share revoke {id} --reason …',
};

const TEXT = {
  state: {
    'zh-CN': '申请 {id}（{resource}）：{state}（{label}）',
    en: 'application {id} ({resource}): {state} ({label})',
  },
  who: {
    'zh-CN': '下一步：{party}{org}的{role}处理，可执行：{actions}',
    en: 'next: {party}{org}, as {role}, may: {actions}',
  },
  nobody: { 'zh-CN': '下一步：无需任何一方处理', en: 'next: nobody has to act' },
  due: {
    'zh-CN': '期限：{deadline}（北京时间），剩余 {left}',
    en: 'deadline: {deadline} China time, {left} left',
  },
  late: {
    'zh-CN': '期限：{deadline}（北京时间），已超期 {left}',
    en: 'deadline: {deadline} China time, {left} overdue',
  },
  noDeadline: { 'zh-CN': '期限：无', en: 'deadline: none' },
  reason: { 'zh-CN': '理由：{reason}', en: 'reason: {reason}' },
  grant: { 'zh-CN': '授权：{grant}', en: 'grant: {grant}' },
  commands: { 'zh-CN': '命令：{commands}', en: 'commands: {commands}' },
};

/** `YYYY-MM-DD HH:mm` in China (UTC+8, no daylight saving). */
export function chinaTime(iso: string): string {
  const time = Date.parse(iso);
  return Number.isNaN(time)
    ? iso
    : new Date(time + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** The two largest units of a span: `2天3小时`, `45分钟`; `2d 3h`, `45m`. */
export function span(seconds: number, lang: Lang): string {
  const minutes = Math.floor(Math.abs(seconds) / 60);
  const parts = [Math.floor(minutes / 1440), Math.floor(minutes / 60) % 24, minutes % 60];
  const units = lang === 'en' ? ['d', 'h', 'm'] : ['天', '小时', '分钟'];
  const first = parts.findIndex((n) => n > 0);
  if (first < 0) return lang === 'en' ? '<1m' : '不到1分钟';
  const shown = parts.slice(first, first + 2).map((n, i) => (n > 0 ? `${n}${units[first + i]}` : ''));
  return shown.filter(Boolean).join(lang === 'en' ? ' ' : '');
}

export function stateLabel(state: ApplicationState, lang: Lang): string {
  return say(STATES[state] ?? { 'zh-CN': state, en: state }, lang);
}

/** The status of an application, as `share status` reports it. */
export function statusOf(app: Application, now: number = Date.now()): ShareStatus {
  const deadline = app.next.deadline;
  const secondsLeft = deadline ? Math.round((Date.parse(deadline) - now) / 1000) : null;
  return {
    id: app.id,
    resourceCode: app.resourceCode,
    state: app.state,
    final: app.final,
    next: {
      ...app.next,
      deadlineChina: deadline ? chinaTime(deadline) : null,
      secondsLeft,
      overdue: secondsLeft !== null && secondsLeft < 0,
    },
    ...(app.reason ? { reason: app.reason } : {}),
    ...(app.grant ? { grant: app.grant } : {}),
    ...(app.breachedAt ? { breachedAt: app.breachedAt } : {}),
  };
}

/** Who must act, which actions are open to them, and by when. */
export function statusLines(status: ShareStatus, lang: Lang): string[] {
  const { next } = status;
  const label = stateLabel(status.state, lang);
  const lines = [say(TEXT.state, lang, { ...status, resource: status.resourceCode, label })];
  if (next.party === 'nobody') lines.push(say(TEXT.nobody, lang));
  else
    lines.push(
      say(TEXT.who, lang, {
        party: say(PARTIES[next.party], lang),
        // The platform is no one organisation: its org is null.
        org: next.org === null ? '' : lang === 'en' ? ` ${next.org}` : ` ${next.org} `,
        role: next.role ? say(ROLES[next.role] ?? { 'zh-CN': next.role, en: next.role }, lang) : '-',
        actions: next.actions.join(lang === 'en' ? ', ' : '、') || '-',
      }),
    );
  if (next.deadlineChina === null || next.secondsLeft === null) lines.push(say(TEXT.noDeadline, lang));
  else
    lines.push(
      say(next.overdue ? TEXT.late : TEXT.due, lang, {
        deadline: next.deadlineChina,
        left: span(next.secondsLeft, lang),
      }),
    );
  if (status.reason) lines.push(say(TEXT.reason, lang, { ...status }));
  if (status.grant) lines.push(say(TEXT.grant, lang, { ...status }));
  const commands = next.actions.flatMap((action) => (COMMANDS[action] ? [COMMANDS[action]] : []));
  if (commands.length > 0)
    lines.push(
      say(TEXT.commands, lang, {
        commands: commands.map((c) => `minjiang ${c.replace('{id}', status.id)}`).join(' | '),
      }),
    );
  return lines;
}
