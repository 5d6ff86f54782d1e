import type { Lang } from '@minjiang/standards';
import type { Demand, DemandHistoryEntry, DemandState, HubClient } from '@minjiang/sdk';
import { connectHub } from '../hub-connection.js';
import { say, type Text } from '../lang.js';

const STATES: Record<DemandState, Text> = {
  DRAFT: { 'zh-CN': '草稿', en: 'draft' },
  SUBMITTED: { 'zh-CN': '已提交，待平台分派', en: 'submitted, waiting to be routed' },
  ROUTED: { 'zh-CN': '已分派提供方', en: 'routed to a provider' },
  CLAIMED: { 'zh-CN': '提供方已认领', en: 'claimed by the provider' },
  FULFILLED: { 'zh-CN': '已满足', en: 'fulfilled' },
  DECLINED: { 'zh-CN': '不予满足', en: 'declined' },
  CLOSED: { 'zh-CN': '已关闭', en: 'closed' },
  WITHDRAWN: { 'zh-CN': '已撤回', en: 'withdrawn' },
};

const PARTIES: Record<string, Text> = {
  provider: { 'zh-CN': '提供方', en: 'the provider' },
  platform: { 'zh-CN': '平台（主管部门）', en: 'the platform (主管部门)' },
  requester: { 'zh-CN': '需求方', en: 'the requester' },
};

const ROLES: Record<string, Text> = {
  officer: { 'zh-CN': '数据专员', en: 'officer' },
  reviewer: { 'zh-CN': '审核员', en: 'reviewer' },
  admin: { 'zh-CN': '管理员', en: 'administrator' },
};

/** The command that takes each action, for the hint under `next`. */
const COMMANDS: Record<string, string> = {
  route: 'demand route {id} --provider <机构>',
  claim: 'demand respond {id} …',
  fulfil: 'demand respond {id} --fulfil <资源代码>',
  decline: 'demand respond {id} --decline --reason …',
  close: 'demand close {id}',
};

const TEXT = {
  head: { 'zh-CN': '需求 {id}：{state}（{label}）', en: 'demand {id}: {state} ({label})' },
  subject: {
    'zh-CN': '“{subject}”，需求方 {requester}，提供方 {provider}，紧急程度 {urgency}',
    en: '"{subject}", requester {requester}, provider {provider}, urgency {urgency}',
  },
  items: { 'zh-CN': '所需信息项：{items}', en: 'items wanted: {items}' },
  fulfilment: { 'zh-CN': '满足资源：{resourceCode}{note}', en: 'fulfilled by resource {resourceCode}{note}' },
  reason: { 'zh-CN': '理由：{reason}', en: 'reason: {reason}' },
  who: {
    'zh-CN': '下一步：{party} {org} 的{role}处理，可执行：{actions}',
    en: 'next: {party} {org}, as {role}, may: {actions}',
  },
  nobody: { 'zh-CN': '下一步：无需任何一方处理', en: 'next: nobody has to act' },
  due: { 'zh-CN': '期限：{deadline}（北京时间）', en: 'deadline: {deadline} China time' },
  breached: { 'zh-CN': '已于 {at} 超期', en: 'deadline missed, found at {at}' },
  commands: { 'zh-CN': '命令：{commands}', en: 'commands: {commands}' },
  history: { 'zh-CN': '经过：', en: 'history:' },
};

/** `YYYY-MM-DD HH:mm` in China (UTC+8, no daylight saving). */
export function chinaTime(iso: string): string {
  const time = Date.parse(iso);
  return Number.isNaN(time)
    ? iso
    : new Date(time + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

const join = (list: readonly string[], lang: Lang) => list.join(lang === 'en' ? ', ' : '、');

function historyLine(entry: DemandHistoryEntry): string {
  const actor = entry.actor.system ? `system:${entry.actor.system}` : (entry.actor.org ?? '');
  const reason = entry.reason ? `  ${entry.reason}` : '';
  return `  #${entry.seq} ${chinaTime(entry.at)}  ${entry.action}  ${entry.from ?? '-'} → ${entry.to}  ${actor}${reason}`;
}

/** Who must act next, with what command, and by when. */
export function nextLines(demand: Demand, lang: Lang): string[] {
  const { next } = demand;
  if (next.party === 'nobody') return [say(TEXT.nobody, lang)];
  const lines = [
    say(TEXT.who, lang, {
      party: say(PARTIES[next.party] ?? { 'zh-CN': next.party, en: next.party }, lang),
      org: next.org ?? '',
      role: next.role ? say(ROLES[next.role] ?? { 'zh-CN': next.role, en: next.role }, lang) : '',
      actions: join(next.actions, lang),
    }),
  ];
  const commands = next.actions.map((action) => COMMANDS[action]).filter((c): c is string => !!c);
  if (commands.length > 0)
    lines.push(
      say(TEXT.commands, lang, { commands: commands.map((c) => c.replace('{id}', demand.id)).join(' | ') }),
    );
  if (next.deadline) lines.push(say(TEXT.due, lang, { deadline: chinaTime(next.deadline) }));
  if (demand.breachedAt) lines.push(say(TEXT.breached, lang, { at: chinaTime(demand.breachedAt) }));
  return lines;
}

/** A demand for people: state, what was asked, the outcome, who must act next; the history on request. */
export function demandLines(demand: Demand, lang: Lang, options: { history?: boolean } = {}): string[] {
  const lines = [
    say(TEXT.head, lang, { ...demand, label: say(STATES[demand.state], lang) }),
    say(TEXT.subject, lang, { ...demand, provider: demand.provider ?? '-' }),
    say(TEXT.items, lang, { items: join(demand.wantedItems, lang) }),
  ];
  if (demand.fulfilment)
    lines.push(
      say(TEXT.fulfilment, lang, {
        ...demand.fulfilment,
        note: demand.fulfilment.note ? `（${demand.fulfilment.note}）` : '',
      }),
    );
  if (demand.reason) lines.push(say(TEXT.reason, lang, { reason: demand.reason }));
  lines.push(...nextLines(demand, lang));
  if (options.history && demand.history && demand.history.length > 0)
    lines.push(say(TEXT.history, lang), ...demand.history.map(historyLine));
  return lines;
}

export function printLines(lines: string[]): void {
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Runs `work` with a hub client for the command's flags, and always closes it. */
export async function withHub<T>(
  flags: { hub?: string | undefined; profile?: string | undefined },
  lang: Lang,
  work: (client: HubClient) => Promise<T>,
): Promise<T> {
  const { client } = await connectHub(flags, lang);
  try {
    return await work(client);
  } finally {
    await client.close();
  }
}
