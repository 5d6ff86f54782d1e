/** The subset of JSON Patch (RFC 6902) that fixtures use: add, remove, replace. */
export interface PatchOperation {
  op: 'add' | 'remove' | 'replace';
  path: string;
  value?: unknown;
}

function tokens(path: string): string[] {
  return path
    .split('/')
    .slice(1)
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Container = Record<string, unknown> | unknown[];

function parentOf(document: unknown, path: string): { parent: Container; key: string } {
  const parts = tokens(path);
  const key = parts.pop();
  if (key === undefined) throw new Error('A patch cannot replace the whole document');
  let parent = document as Container;
  for (const part of parts) {
    const next = Array.isArray(parent) ? parent[Number(part)] : parent[part];
    if (next === null || typeof next !== 'object') throw new Error(`Patch path ${path} does not exist`);
    parent = next as Container;
  }
  return { parent, key };
}

/** Applies a patch to a deep copy of the document and returns the copy. */
export function applyPatch<T>(document: T, operations: readonly PatchOperation[]): T {
  const copy = structuredClone(document);
  for (const { op, path, value } of operations) {
    const { parent, key } = parentOf(copy, path);
    if (Array.isArray(parent)) {
      const index = key === '-' ? parent.length : Number(key);
      if (op === 'add') parent.splice(index, 0, structuredClone(value));
      else if (op === 'remove') parent.splice(index, 1);
      else parent[index] = structuredClone(value);
    } else if (op === 'remove') {
      if (!(key in parent)) throw new Error(`Patch removes ${path}, which does not exist`);
      delete parent[key];
    } else {
      if (op === 'replace' && !(key in parent))
        throw new Error(`Patch replaces ${path}, which does not exist`);
      parent[key] = structuredClone(value);
    }
  }
  return copy;
}
