import type { Issue, Lang } from '../issues.js';
import { cascadeMessages, type CascadeMessageCode } from '../messages/cascade.js';
import { renderFinding, type MessageDef, type MessageParams } from '../messages/message.js';

/** A finding of a catalogue of codes rendered in a language, `found`/`expected` from its params. */
export function catalogueIssue<Code extends string>(
  defs: Readonly<Record<Code, MessageDef>>,
  code: Code,
  location: string,
  params: MessageParams,
  lang: Lang,
): Issue {
  const found = params['found'];
  const expected = params['expected'];
  return renderFinding(
    defs,
    {
      code,
      location,
      params,
      ...(found !== undefined ? { found: String(found) } : {}),
      ...(expected !== undefined ? { expected: String(expected) } : {}),
    },
    lang,
  );
}

/** One cascade finding rendered in a language: the issue shape every validator returns. */
export function cascadeIssue(
  code: CascadeMessageCode,
  location: string,
  params: MessageParams,
  lang: Lang,
): Issue {
  return catalogueIssue(cascadeMessages, code, location, params, lang);
}

/**
 * Input a cascade function cannot work with (a page to build that breaks the feed rules, pages
 * that cannot be planned together). It carries the issue, so callers map it to their own error
 * without parsing the message.
 */
export class CascadeError extends Error {
  readonly code: string;
  readonly issues: Issue[];

  constructor(issues: Issue[]) {
    const first = issues[0];
    super(first ? `${first.code} ${first.location} ${first.message}` : 'cascade error');
    this.name = 'CascadeError';
    this.code = first?.code ?? 'FED-000';
    this.issues = issues;
  }
}
