/**
 * JSON read strictly: JSON.parse for the value (fast, exact JSON semantics), plus a scan for
 * duplicate keys, which JSON.parse silently resolves to the last one — in a catalog that hides a
 * data officer's copy-paste mistake.
 */

interface Frame {
  keys: Set<string> | undefined;
  expectKey: boolean;
}

/** Where a string token starting at `start` (a `"`) ends: the index after its closing quote. */
function stringEnd(text: string, start: number): number {
  let index = start + 1;
  for (;;) {
    const quote = text.indexOf('"', index);
    if (quote === -1) return text.length;
    let backslashes = 0;
    while (text[quote - 1 - backslashes] === '\\') backslashes += 1;
    if (backslashes % 2 === 0) return quote + 1;
    index = quote + 1;
  }
}

/**
 * The first key that repeats within one object of a JSON text already known to be valid, with
 * the offset of its second occurrence.
 */
export function findDuplicateKey(text: string): { key: string; offset: number } | undefined {
  const stack: Frame[] = [];
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    const top = stack.at(-1);
    if (char === '"') {
      const end = stringEnd(text, index);
      if (top?.keys && top.expectKey) {
        const key = JSON.parse(text.slice(index, end)) as string;
        if (top.keys.has(key)) return { key, offset: index };
        top.keys.add(key);
        top.expectKey = false;
      }
      index = end - 1;
    } else if (char === '{') stack.push({ keys: new Set(), expectKey: true });
    else if (char === '[') stack.push({ keys: undefined, expectKey: false });
    else if (char === '}' || char === ']') stack.pop();
    else if (char === ',' && top?.keys) top.expectKey = true;
  }
  return undefined;
}

/** 1-based line and column of an offset. */
export function linePosition(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}
