import type { Issue, Lang, Severity } from '../issues.js';

/** The text of one stable code, in both languages. `{name}` placeholders take parameters. */
export interface MessageDef {
  severity: Severity;
  zh: string;
  en: string;
  hintZh?: string;
  hintEn?: string;
}

export type MessageParams = Record<string, string | number | undefined>;

function fill(template: string, params: MessageParams): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const value = params[key];
    return value === undefined ? whole : String(value);
  });
}

/** A finding before it is rendered: which code, where, and the values its message needs. */
export interface Finding {
  code: string;
  location: string;
  params?: MessageParams;
  expected?: string;
  found?: string;
}

/** Renders findings into issues with the messages of a catalogue of codes. */
export function renderFinding(
  defs: Readonly<Record<string, MessageDef>>,
  finding: Finding,
  lang: Lang,
): Issue {
  const def = defs[finding.code];
  if (!def) throw new Error(`No message is defined for code ${finding.code}`);
  const params = finding.params ?? {};
  const hint = lang === 'en' ? def.hintEn : def.hintZh;
  const issue: Issue = {
    code: finding.code,
    severity: def.severity,
    location: finding.location,
    message: fill(lang === 'en' ? def.en : def.zh, params),
  };
  if (hint !== undefined) issue.hint = fill(hint, params);
  if (finding.expected !== undefined) issue.expected = finding.expected;
  if (finding.found !== undefined) issue.found = finding.found;
  return issue;
}
