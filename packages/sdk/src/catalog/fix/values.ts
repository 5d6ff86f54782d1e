import { readDate } from './dates.js';
import type { FixReason } from './messages.js';
import { collapseSpaces, hasFullWidth, removeSpaces, tidyName, toHalfWidth } from './text.js';
import type { FixKind } from './types.js';

/**
 * What a field holds, which decides the fixes it may get. Full-width folding is only for
 * machine-read values (codes, technical names, format types, numbers, dates): in Chinese prose
 * (names, summaries) full-width punctuation such as （）、， is correct.
 */
export type FieldType =
  /** Resource code, USCC: no whitespace, upper case. */
  | 'code'
  /** GB/T 2260 region code: six digits, which a spreadsheet may have turned into a number. */
  | 'region'
  /** Names and short texts: one line, no stray whitespace. */
  | 'name'
  /** Long prose (summary, conditions): trimmed only, inner line breaks are the author's. */
  | 'text'
  /** A schema enum that is not a code table (check, syncMode): trimmed only. */
  | 'enum'
  /** Technical (column) name: the dictionary allows either case, so only width and trim. */
  | 'technical'
  /** Format type: lower case by the schema's pattern. */
  | 'format-type'
  /** Name of a code table under codes/: lower case by the schema's pattern. */
  | 'table-name'
  /** A code-table value; its canonical form comes from the standards' normalisation. */
  | 'coded'
  | 'date'
  | 'integer'
  | 'number'
  | 'boolean';

/** One change to a value; a value's steps form a chain. */
export interface Step {
  kind: FixKind;
  reason: FixReason;
  to: unknown;
}

type Transform = (value: unknown) => Step | undefined;

function onText(kind: FixKind, reason: FixReason, change: (text: string) => string): Transform {
  return (value) => {
    if (typeof value !== 'string') return undefined;
    const to = change(value);
    // A fix never empties a value: a blank value is a removal, decided elsewhere.
    return to !== value && to !== '' ? { kind, reason, to } : undefined;
  };
}

const fullWidth: Transform = (value) =>
  typeof value === 'string' && hasFullWidth(value)
    ? { kind: 'full-width', reason: 'full-width', to: toHalfWidth(value) }
    : undefined;
const trim = onText('whitespace', 'trim', (text) => text.trim());
const tidy = onText('whitespace', 'name-space', tidyName);
const collapse = onText('whitespace', 'name-space', collapseSpaces);
const noSpace = onText('whitespace', 'code-space', removeSpaces);
const upper = onText('letter-case', 'letter-upper', (text) => text.toUpperCase());
const lower = onText('letter-case', 'letter-lower', (text) => text.toLowerCase());

const date: Transform = (value) => {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const to = readDate(value);
  if (to === undefined || to === value) return undefined;
  const serial = typeof value === 'number' ? value < 1e7 : /^\d{5,7}$/u.test(value);
  return { kind: 'date', reason: serial ? 'date-serial' : 'date-text', to };
};

const integer: Transform = (value) =>
  typeof value === 'string' && /^\d+(\.0+)?$/u.test(value) && Number.isSafeInteger(Number(value))
    ? { kind: 'number', reason: 'number-text', to: Number(value) }
    : undefined;

const decimal: Transform = (value) =>
  typeof value === 'string' && /^\d+(\.\d+)?$/u.test(value) && Number.isFinite(Number(value))
    ? { kind: 'number', reason: 'number-text', to: Number(value) }
    : undefined;

// A Map, not an object: text such as `constructor` must find nothing.
const BOOLEANS = new Map<string, boolean>([
  ['是', true],
  ['否', false],
  ['true', true],
  ['false', false],
  ['y', true],
  ['n', false],
  ['yes', true],
  ['no', false],
]);

const boolean: Transform = (value) => {
  const to = typeof value === 'string' ? BOOLEANS.get(value.toLowerCase()) : undefined;
  return to === undefined ? undefined : { kind: 'number', reason: 'boolean-text', to };
};

// A region code never starts with 0, so a number that lost its quotes lost nothing.
const regionText: Transform = (value) =>
  typeof value === 'number' && Number.isInteger(value) && value >= 100000 && value <= 999999
    ? { kind: 'number', reason: 'number-to-text', to: String(value) }
    : undefined;

const CHAINS: Record<Exclude<FieldType, 'coded'>, Transform[]> = {
  code: [fullWidth, noSpace, upper],
  region: [regionText, fullWidth, noSpace],
  name: [tidy],
  text: [trim],
  enum: [trim],
  technical: [fullWidth, trim],
  'format-type': [fullWidth, collapse, lower],
  'table-name': [fullWidth, trim, lower],
  date: [fullWidth, trim, date],
  integer: [fullWidth, trim, integer],
  number: [fullWidth, trim, decimal],
  boolean: [fullWidth, trim, boolean],
};

function run(value: unknown, chain: Transform[]): Step[] {
  const steps: Step[] = [];
  let current = value;
  for (const transform of chain) {
    const step = transform(current);
    if (step) {
      steps.push(step);
      current = step.to;
    }
  }
  return steps;
}

/**
 * The chain to a code-table value's canonical form: width and whitespace first, then letter
 * case when that is all that is left, else one canonical-label step. Nothing when the value
 * names no entry of its table: that is for validation to report, not for a fix to guess.
 */
function codedSteps(value: unknown, canonical: unknown): Step[] {
  if (typeof canonical !== 'string' || value === canonical) return [];
  const prefix = hasFullWidth(canonical) ? [trim] : [fullWidth, trim];
  const steps = run(value, prefix);
  const current = steps.at(-1)?.to ?? value;
  if (current === canonical) return steps;
  const caseOnly = typeof current === 'string' && current.toUpperCase() === canonical.toUpperCase();
  const last: Step = caseOnly
    ? {
        kind: 'letter-case',
        reason: canonical === canonical.toUpperCase() ? 'letter-upper' : 'letter-lower',
        to: canonical,
      }
    : { kind: 'canonical-label', reason: 'canonical-label', to: canonical };
  return [...steps, last];
}

/**
 * The fixes of one non-blank value, in order. `canonical` is the value after the standards'
 * normalisation, used by code-table fields only.
 */
export function valueSteps(type: FieldType, value: unknown, canonical?: unknown): Step[] {
  return type === 'coded' ? codedSteps(value, canonical) : run(value, CHAINS[type]);
}
