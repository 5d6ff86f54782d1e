import type { Finding } from '../messages/message.js';
import type { ResourceCodeProfile } from '../resource-code.js';

/** What a rule may consult besides the document. */
export interface RuleContext {
  profile: ResourceCodeProfile;
  /** Today's date as YYYY-MM-DD, in China Standard Time. */
  today: string;
}

/**
 * A cross-field rule: something JSON Schema cannot say. It sees a document that already passed
 * its schema (normalised to canonical codes) and returns findings; it never throws.
 */
export interface Rule<T> {
  code: string;
  /** One line on what the rule demands, for the documentation. */
  description: string;
  check(document: T, context: RuleContext): Finding[];
}

/** The date in China Standard Time (UTC+8), as YYYY-MM-DD. */
export function chinaDate(now: Date): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** A rule's answer from one condition: the finding when the condition holds, nothing otherwise. */
export function one(finding: Finding | false): Finding[] {
  return finding ? [finding] : [];
}

/** True for a missing or whitespace-only text. */
export function blank(text: string | undefined): boolean {
  return text === undefined || text.trim() === '';
}
