/** JSON Pointer (RFC 6901) helpers for locating values and writing fixes back. */

/** The reference tokens of a pointer; `''` is the whole document. `~1` is `/`, `~0` is `~`. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return pointer === '/' ? [''] : [];
  const body = pointer.startsWith('/') ? pointer.slice(1) : pointer;
  return body.split('/').map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function child(value: unknown, token: string): unknown {
  if (Array.isArray(value)) return /^\d+$/.test(token) ? (value[Number(token)] as unknown) : undefined;
  if (value !== null && typeof value === 'object' && Object.hasOwn(value, token)) {
    return (value as Record<string, unknown>)[token];
  }
  return undefined;
}

/** The value at `tokens`, or undefined when some step is missing. */
export function valueAt(root: unknown, tokens: readonly string[]): unknown {
  return tokens.reduce<unknown>((value, token) => child(value, token), root);
}

/**
 * Sets (or, for undefined, deletes) the value at `tokens` inside `root`, creating missing objects
 * or arrays on the way; returns the new root.
 */
export function setValueAt(root: unknown, tokens: readonly string[], value: unknown): unknown {
  const [token, ...rest] = tokens;
  if (token === undefined) return value;
  if (value === undefined && valueAt(root, tokens) === undefined) return root;
  const isIndex = /^\d+$/.test(token);
  const container: unknown = root !== null && typeof root === 'object' ? root : isIndex ? [] : {};
  const next = setValueAt(child(container, token), rest, value);
  if (Array.isArray(container) && isIndex) {
    if (next === undefined) container.splice(Number(token), 1);
    else container[Number(token)] = next;
  } else if (next === undefined) {
    delete (container as Record<string, unknown>)[token];
  } else {
    (container as Record<string, unknown>)[token] = next;
  }
  return container;
}

function compareTokens(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
    const [x = '', y = ''] = [a[i], b[i]];
    if (x === y) continue;
    const numeric = /^\d+$/.test(x) && /^\d+$/.test(y);
    return numeric ? Number(x) - Number(y) : x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/**
 * The order to apply changes in: values that exist in the fixed catalog first, in document
 * order; removals last, from the highest index down so earlier removals do not shift later ones.
 */
export function orderChanges(
  pointers: readonly string[],
  fixed: unknown,
): { tokens: string[]; value: unknown }[] {
  const changes = [...new Set(pointers)].map((pointer) => {
    const tokens = parsePointer(pointer);
    return { tokens, value: valueAt(fixed, tokens) };
  });
  const sets = changes.filter((change) => change.value !== undefined);
  const removals = changes.filter((change) => change.value === undefined);
  sets.sort((a, b) => compareTokens(a.tokens, b.tokens));
  removals.sort((a, b) => compareTokens(b.tokens, a.tokens));
  return [...sets, ...removals];
}
