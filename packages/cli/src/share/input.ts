import type { Lang } from '@minjiang/standards';
import type { NewApplication, SharingMode } from '@minjiang/sdk';
import { UsageError } from '../exit-codes.js';
import { say } from '../lang.js';

const TEXT = {
  missing: {
    'zh-CN': '申请缺少必填内容：{fields}',
    en: 'the application lacks: {fields}',
  },
  missingHint: {
    'zh-CN': '在 --file 指定的 JSON/YAML 文件中填写，或用对应选项给出：{flags}。',
    en: 'Fill them in the JSON/YAML file given with --file, or pass: {flags}.',
  },
  duration: { 'zh-CN': '无法识别时长“{value}”', en: 'not a duration: "{value}"' },
  durationHint: {
    'zh-CN': '写成数字加单位，例如 90s、10m、2h（不带单位为秒）。',
    en: 'Write a number and a unit, e.g. 90s, 10m, 2h (no unit: seconds).',
  },
};

/** The flags of `share apply` that fill fields of the application (they win over the file). */
export interface ApplyFlags {
  kind?: string | undefined;
  resource?: string | undefined;
  items?: string | undefined;
  'purpose-code'?: string | undefined;
  purpose?: string | undefined;
  'scenario-class'?: string | undefined;
  scenario?: string | undefined;
  'legal-basis'?: string | undefined;
  'related-matter'?: string | undefined;
  mode?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  'per-day'?: number | undefined;
  masking?: string | undefined;
  'contact-name'?: string | undefined;
  'contact-phone'?: string | undefined;
  commitment?: string | undefined;
}

/** `a, b，c` → [a, b, c]: item names are separated by commas (ASCII or full-width) or 、. */
export function listOf(value: string): string[] {
  return value
    .split(/[,，、]/)
    .map((part) => part.trim())
    .filter(Boolean);
}

const defined = <T extends object>(value: T): Partial<T> =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;

/** Which flag fills each required field, for the usage error. */
const REQUIRED: [keyof NewApplication, string][] = [
  ['resourceCode', '--resource'],
  ['items', '--items'],
  ['purposeCode', '--purpose-code'],
  ['purpose', '--purpose'],
  ['scenario', '--scenario-class/--scenario'],
  ['legalBasis', '--legal-basis'],
  ['mode', '--mode'],
  ['period', '--from/--to'],
  ['contact', '--contact-name/--contact-phone'],
  ['securityCommitment', '--commitment'],
];

function nested<T extends object>(base: unknown, patch: T): T | undefined {
  const merged = { ...(typeof base === 'object' && base !== null ? base : {}), ...defined(patch) };
  return Object.keys(merged).length > 0 ? (merged as T) : undefined;
}

/** The application to file: the file's fields, overridden by flags; missing fields are a usage error. */
export function applicationOf(file: Record<string, unknown>, flags: ApplyFlags, lang: Lang): NewApplication {
  const f = flags;
  const body: Record<string, unknown> = {
    ...file,
    ...defined({
      kind: f.kind,
      resourceCode: f.resource,
      items: f.items === undefined ? undefined : listOf(f.items),
      purposeCode: f['purpose-code'],
      purpose: f.purpose,
      legalBasis: f['legal-basis'],
      relatedMatter: f['related-matter'],
      mode: f.mode as SharingMode | undefined,
      expectedVolume: f['per-day'] === undefined ? undefined : { perDay: f['per-day'] },
      masking: f.masking === undefined ? undefined : { profile: f.masking },
      securityCommitment: f.commitment === undefined ? undefined : { accepted: true, text: f.commitment },
    }),
  };
  body.scenario = nested(file.scenario, { class: f['scenario-class'], description: f.scenario });
  body.period = nested(file.period, { from: f.from, to: f.to });
  body.contact = nested(file.contact, { name: f['contact-name'], phone: f['contact-phone'] });
  const missing = REQUIRED.filter(([field]) => {
    const value = body[field];
    return value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
  });
  if (missing.length > 0)
    throw new UsageError(
      'SHARE-APPLY-INCOMPLETE',
      say(TEXT.missing, lang, { fields: missing.map(([k]) => k).join(', ') }),
      {
        hint: say(TEXT.missingHint, lang, { flags: missing.map(([, flag]) => flag).join(' ') }),
      },
    );
  return body as unknown as NewApplication;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `10m`, `90s`, `2h`, `500ms`, `30` (seconds) → milliseconds. */
export function durationMs(value: string, lang: Lang): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/i.exec(value);
  if (!match)
    throw new UsageError('SHARE-DURATION', say(TEXT.duration, lang, { value }), {
      hint: say(TEXT.durationHint, lang),
    });
  return Math.round(Number(match[1]) * (UNITS[(match[2] ?? 's').toLowerCase()] ?? 1000));
}
