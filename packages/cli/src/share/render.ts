import type { Lang } from '@minjiang/standards';
import type { Application, HubClient, Offer } from '@minjiang/sdk';
import { connectHub } from '../hub-connection.js';
import { say } from '../lang.js';
import { chinaTime, statusLines, statusOf } from './next-step.js';

const TEXT = {
  resource: {
    'zh-CN': '资源 {code} {name}（{shareType}），提供方 {provider}，申请方 {applicant}',
    en: 'resource {code} {name} ({shareType}), provider {provider}, applicant {applicant}',
  },
  items: { 'zh-CN': '申请信息项：{items}', en: 'items asked for: {items}' },
  offer: {
    'zh-CN':
      '提供方条件 {id}（摘要 {digest}）：信息项 {items}；脱敏 {masking}；每日 {perDay} 次；{from} 至 {to}；方式 {mode}{filter}',
    en: 'offer {id} (digest {digest}): items {items}; masking {masking}; {perDay} a day; {from} to {to}; mode {mode}{filter}',
  },
  filter: { 'zh-CN': '；行过滤 {rowFilter}', en: '; rows {rowFilter}' },
  history: { 'zh-CN': '经过：', en: 'history:' },
};

const join = (list: readonly string[], lang: Lang) => list.join(lang === 'en' ? ', ' : '、');

export function offerLine(offer: Offer, lang: Lang): string {
  return say(TEXT.offer, lang, {
    ...offer,
    items: join(offer.items, lang),
    perDay: offer.quota.perDay,
    from: offer.period.from,
    to: offer.period.to,
    filter: offer.rowFilter ? say(TEXT.filter, lang, { ...offer }) : '',
  });
}

function historyLine(entry: Application['history'][number]): string {
  const actor = entry.actor.system ? `system:${entry.actor.system}` : (entry.actor.org ?? '');
  const reason = entry.reason ? `  ${entry.reason}` : '';
  return `  #${entry.seq} ${chinaTime(entry.at)}  ${entry.action}  ${entry.from ?? '-'} → ${entry.to}  ${actor}${reason}`;
}

/** An application for people: what was asked, the offer, who must act next; the history on request. */
export function applicationLines(
  app: Application,
  lang: Lang,
  options: { history?: boolean } = {},
): string[] {
  const lines = [
    say(TEXT.resource, lang, { ...app, code: app.resourceCode, name: app.resourceName ?? '' }),
    say(TEXT.items, lang, { items: join(app.request.items, lang) }),
  ];
  if (app.offer) lines.push(offerLine(app.offer, lang));
  // The state first, who must act next last: what a reader looks for.
  const [state = '', ...next] = statusLines(statusOf(app), lang);
  lines.unshift(state);
  lines.push(...next);
  if (options.history && app.history.length > 0)
    lines.push(say(TEXT.history, lang), ...app.history.map(historyLine));
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
