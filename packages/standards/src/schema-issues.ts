import localizeModule from 'ajv-i18n/localize/zh/index.js';
import type { ErrorObject } from './ajv.js';
import { describeValue, pointer, safeJson, type Issue, type Lang } from './issues.js';
import { renderFinding, type Finding } from './messages/message.js';
import { schemaMessages, type SchemaMessageCode } from './messages/schema.js';

// ajv-i18n is CommonJS whose module.exports is the function itself.
const localizeZh = localizeModule as unknown as (errors: ErrorObject[]) => void;

const KEYWORD_CODES: Record<string, SchemaMessageCode> = {
  required: 'SCH-001',
  dependentRequired: 'SCH-001',
  type: 'SCH-002',
  enum: 'SCH-003',
  pattern: 'SCH-004',
  additionalProperties: 'SCH-005',
  unevaluatedProperties: 'SCH-005',
  format: 'SCH-006',
  minLength: 'SCH-007',
  maxLength: 'SCH-007',
  minimum: 'SCH-008',
  maximum: 'SCH-008',
  exclusiveMinimum: 'SCH-008',
  exclusiveMaximum: 'SCH-008',
  multipleOf: 'SCH-008',
  minItems: 'SCH-009',
  maxItems: 'SCH-009',
  minProperties: 'SCH-009',
  maxProperties: 'SCH-009',
  const: 'SCH-010',
  uniqueItems: 'SCH-011',
};

// `if` reports only that its `then`/`else` failed; the failing keyword inside is reported too.
const SILENT_KEYWORDS = new Set(['if']);

interface SchemaLike {
  title?: string;
  properties?: Record<string, { title?: string } | undefined>;
}

function titleOf(schema: unknown): string | undefined {
  return (schema as SchemaLike | undefined)?.title;
}

// Chinese messages name a field by its schema title; English ones by its JSON name.
function fieldName(error: ErrorObject, lang: Lang, property?: string): string {
  const tokens = error.instancePath.split('/');
  const jsonName = property ?? tokens[tokens.length - 1] ?? '';
  if (lang === 'en') return jsonName;
  if (property !== undefined) {
    const parent = error.parentSchema as SchemaLike | undefined;
    return parent?.properties?.[property]?.title ?? property;
  }
  return titleOf(error.parentSchema) ?? jsonName;
}

const TYPE_NAMES_ZH: Record<string, string> = {
  string: '文本',
  integer: '整数',
  number: '数值',
  boolean: '布尔值（true/false）',
  object: '对象',
  array: '数组',
  null: '空值',
};

function expectedOf(error: ErrorObject, lang: Lang): string | undefined {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type':
      return lang === 'en'
        ? String(p.type)
        : String(p.type)
            .split(',')
            .map((t) => TYPE_NAMES_ZH[t] ?? t)
            .join('或');
    case 'enum':
      return (p.allowedValues as unknown[]).map(String).join('、');
    case 'pattern':
      return String(p.pattern);
    case 'format':
      return String(p.format);
    case 'const':
      return describeValue(p.allowedValue);
    case 'minLength':
    case 'minItems':
    case 'minProperties':
      return `≥ ${String(p.limit)}`;
    case 'maxLength':
    case 'maxItems':
    case 'maxProperties':
      return `≤ ${String(p.limit)}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `${String(p.comparison)} ${String(p.limit)}`;
    case 'multipleOf':
      return `× ${String(p.multipleOf)}`;
    default:
      return undefined;
  }
}

function detailOf(error: ErrorObject, lang: Lang): string {
  if (lang === 'en') return error.message ?? error.keyword;
  const copy = [{ ...error }];
  localizeZh(copy);
  return copy[0]?.message ?? error.keyword;
}

function toFinding(error: ErrorObject, lang: Lang): Finding {
  const p = error.params as Record<string, unknown>;
  const code = KEYWORD_CODES[error.keyword] ?? 'SCH-012';
  const property =
    error.keyword === 'required' || error.keyword === 'dependentRequired'
      ? String(p.missingProperty)
      : error.keyword === 'additionalProperties' || error.keyword === 'unevaluatedProperties'
        ? String(p.additionalProperty ?? p.unevaluatedProperty)
        : undefined;
  const location = property === undefined ? error.instancePath : `${error.instancePath}${pointer(property)}`;
  const expected = expectedOf(error, lang);
  // A type error shows the value as JSON, so that "18" (text) and 18 (a number) look different.
  const shown = error.keyword === 'type' ? safeJson(error.data) : error.data;
  const found = property === undefined && error.data !== undefined ? describeValue(shown) : undefined;
  const finding: Finding = {
    code,
    location,
    params: {
      field: fieldName(error, lang, property),
      property,
      expected,
      found,
      detail: code === 'SCH-012' ? detailOf(error, lang) : undefined,
    },
  };
  if (expected !== undefined) finding.expected = expected;
  if (found !== undefined) finding.found = found;
  return finding;
}

/** Turns Ajv errors into issues with stable codes, locations, messages and hints. */
export function schemaIssues(errors: readonly ErrorObject[] | null | undefined, lang: Lang): Issue[] {
  const issues: Issue[] = [];
  const seen = new Set<string>();
  for (const error of errors ?? []) {
    if (SILENT_KEYWORDS.has(error.keyword)) continue;
    const issue = renderFinding(schemaMessages, toFinding(error, lang), lang);
    const key = `${issue.code}\u0000${issue.location}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return issues;
}
