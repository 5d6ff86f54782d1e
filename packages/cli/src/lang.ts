import type { Lang } from '@minjiang/standards';

/**
 * The language of messages: `--lang`, else `MINJIANG_LANG`, else `LANG` when it names English;
 * zh-CN otherwise (a machine's `C.UTF-8` locale says nothing about its user).
 */
export function resolveLang(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): Lang {
  const wanted = flag ?? env.MINJIANG_LANG ?? (env.LANG?.toLowerCase().startsWith('en') ? 'en' : undefined);
  return wanted?.toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
}

/** A message in both languages; `{name}` placeholders are filled from params. */
export type Text = Record<Lang, string>;

export function say(text: Text, lang: Lang, params: Record<string, unknown> = {}): string {
  return fill(text[lang], params);
}

/** Fills `{name}` placeholders. */
export function fill(template: string, params: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const value = params[key];
    return typeof value === 'string' || typeof value === 'number' ? String(value) : whole;
  });
}

/**
 * The calendar day of an instant in China (UTC+8, no daylight saving): deadlines are days,
 * and a ticket due "2026-12-04" ends at 23:59:59.999+08:00, which is 15:59:59Z.
 */
export function chinaDay(iso: string): string {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? iso : new Date(time + 8 * 3600_000).toISOString().slice(0, 10);
}
