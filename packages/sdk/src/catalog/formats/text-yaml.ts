/**
 * YAML writing and locating: documents stay YAML 1.2, but strings that a YAML 1.1 tool (PyYAML,
 * older Java and Go libraries, many CI systems) would read as something else are quoted, and
 * values are changed in place so comments and layout survive a fix.
 */
import {
  Document,
  isAlias,
  isCollection,
  isMap,
  isScalar,
  isSeq,
  visit,
  type LineCounter,
  type Node,
  type ToStringOptions,
} from 'yaml';
import { valueAt } from './text-pointer.js';

// YAML 1.1 booleans, nulls, ints (octal, hex, binary, base 60, with `_`), floats, timestamps and
// the merge/value keys, case-insensitively (a superset: quoting too much is harmless).
const MISREAD_BY_YAML_11 =
  /^(?:~|null|true|false|y|yes|n|no|on|off|<<|=|[-+]?(?:\.inf|\.?[0-9][0-9_]*(?::[0-5]?[0-9])*(?:\.[0-9_]*)?(?:e[-+]?[0-9]+)?|0b[01_]+|0x[0-9a-f_]+|0o[0-7_]+)|\.nan|\d{4}-\d\d?-\d\d?(?:[Tt ].*)?)$/i;

/** Whether a string must be quoted so every YAML reader keeps it a string: '0591', 'no', '2025-01-01'. */
export function needsQuotes(value: string): boolean {
  return MISREAD_BY_YAML_11.test(value.trim());
}

/** Marks the risky strings under `node` to be written single-quoted. */
export function quoteRiskyStrings(node: unknown): void {
  if (isScalar(node)) {
    if (typeof node.value === 'string' && needsQuotes(node.value)) node.type = 'QUOTE_SINGLE';
    return;
  }
  if (!isCollection(node)) return;
  visit(node, {
    Scalar(_, scalar) {
      if (typeof scalar.value === 'string' && needsQuotes(scalar.value)) scalar.type = 'QUOTE_SINGLE';
    },
  });
}

/** Output options that reproduce a parsed file's own layout as closely as yaml allows. */
export function toStringOptions(original = ''): ToStringOptions {
  return {
    lineWidth: 0,
    singleQuote: true,
    flowCollectionPadding: /[[{] [^\]}\s]/.test(original),
  };
}

/** A new YAML 1.2 document for `value`, with risky strings quoted. */
export function stringifyYaml(value: unknown): string {
  const doc = new Document(value, { version: '1.2' });
  quoteRiskyStrings(doc.contents);
  return doc.toString(toStringOptions());
}

function childNode(doc: Document, node: unknown, token: string): Node | undefined {
  const target = isAlias(node) ? node.resolve(doc) : node;
  if (isMap(target)) {
    const pair = target.items.find((item) => isScalar(item.key) && String(item.key.value) === token);
    if (!pair) return undefined;
    // `key:` with nothing after it has no value node; the key still marks the line.
    return (pair.value ?? pair.key) as Node | undefined;
  }
  if (isSeq(target) && /^\d+$/.test(token)) return target.items[Number(token)] as Node | undefined;
  return undefined;
}

/** The 1-based line of the value at `tokens`, or of its nearest ancestor present in the file. */
export function lineOf(
  { doc, lineCounter }: { doc: Document; lineCounter: LineCounter },
  tokens: readonly string[],
): number | undefined {
  let node: unknown = doc.contents;
  let offset = (node as Node | null)?.range?.[0];
  for (const token of tokens) {
    const next = childNode(doc, node, token);
    if (!next) break;
    node = next;
    offset = next.range?.[0] ?? offset;
  }
  return offset === undefined ? undefined : lineCounter.linePos(offset).line;
}

/**
 * Sets the value at `tokens` in place: a scalar replaced by a scalar keeps its node (and so its
 * comments); anything else gets a new node. A parent that is not a collection is replaced whole.
 */
export function setInDocument(
  doc: Document,
  tokens: readonly string[],
  value: unknown,
  fixed: unknown,
): void {
  if (tokens.length === 0) {
    doc.contents = doc.createNode(value);
    quoteRiskyStrings(doc.contents);
    return;
  }
  const existing: unknown = doc.getIn(tokens, true);
  if (isScalar(existing) && (value === null || typeof value !== 'object')) {
    if (typeof existing.value !== typeof value) existing.type = undefined;
    existing.value = value;
    quoteRiskyStrings(existing);
    return;
  }
  const node = doc.createNode(value);
  quoteRiskyStrings(node);
  const parentTokens = tokens.slice(0, -1);
  const parent: unknown = parentTokens.length === 0 ? doc.contents : doc.getIn(parentTokens, true);
  if (isCollection(parent)) {
    doc.setIn(tokens, node);
    return;
  }
  // The parent is missing or a scalar (say `sharing: ''` that now needs keys): write it whole.
  setInDocument(doc, parentTokens, valueAt(fixed, parentTokens), fixed);
}
