import type { Lang } from '@minjiang/standards';
import type { NewDemand } from '@minjiang/sdk';
import { UsageError } from '../exit-codes.js';
import { say } from '../lang.js';

const TEXT = {
  missing: { 'zh-CN': '需求缺少必填内容：{fields}', en: 'the demand lacks: {fields}' },
  missingHint: {
    'zh-CN': '在 --file 指定的 JSON/YAML 文件中填写，或用对应选项给出：{flags}。',
    en: 'Fill them in the JSON/YAML file given with --file, or pass: {flags}.',
  },
};

/** The flags of `demand create` that fill fields of the demand (they win over the file). */
export interface CreateFlags {
  subject?: string | undefined;
  description?: string | undefined;
  items?: string | undefined;
  purpose?: string | undefined;
  'legal-basis'?: string | undefined;
  scenario?: string | undefined;
  urgency?: string | undefined;
  provider?: string | undefined;
  'expected-date'?: string | undefined;
  'contact-name'?: string | undefined;
  'contact-phone'?: string | undefined;
}

/** `a, b，c、d` → [a, b, c, d]: item names are separated by commas (ASCII or full-width) or 、. */
export function listOf(value: string): string[] {
  return value
    .split(/[,，、]/)
    .map((part) => part.trim())
    .filter(Boolean);
}

const defined = (value: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));

/** Which flag fills each required field, for the usage error. */
const REQUIRED: [keyof NewDemand, string][] = [
  ['subject', '--subject'],
  ['wantedItems', '--items'],
  ['purpose', '--purpose'],
  ['scenario', '--scenario'],
  ['urgency', '--urgency'],
  ['contact', '--contact-name/--contact-phone'],
];

/**
 * The body of `POST /demands` from a file's fields and the flags, which win. Urgency defaults to
 * NORMAL; what is still missing is a usage error that names the flags. The hub checks the rest.
 */
export function demandOf(file: Record<string, unknown>, flags: CreateFlags, lang: Lang): NewDemand {
  const fileContact = (file.contact ?? {}) as Record<string, unknown>;
  const contact = {
    ...fileContact,
    ...defined({ name: flags['contact-name'], phone: flags['contact-phone'] }),
  };
  const body: Record<string, unknown> = {
    urgency: 'NORMAL',
    ...file,
    ...defined({
      subject: flags.subject,
      description: flags.description,
      wantedItems: flags.items !== undefined ? listOf(flags.items) : undefined,
      purpose: flags.purpose,
      legalBasis: flags['legal-basis'],
      scenario: flags.scenario,
      urgency: flags.urgency,
      expectedProvider: flags.provider,
      expectedDate: flags['expected-date'],
    }),
    ...(Object.keys(contact).length > 0 ? { contact } : {}),
  };
  const missing = REQUIRED.filter(([field]) => {
    const value = body[field];
    if (field === 'contact') return !contact.name || !contact.phone;
    return value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
  });
  if (missing.length > 0) {
    throw new UsageError(
      'DEMAND-INCOMPLETE',
      say(TEXT.missing, lang, { fields: missing.map(([f]) => f).join(', ') }),
      {
        hint: say(TEXT.missingHint, lang, { flags: missing.map(([, flag]) => flag).join(' ') }),
      },
    );
  }
  return body as unknown as NewDemand;
}
