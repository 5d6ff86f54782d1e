import { readFileSync } from 'node:fs';
import type { CatalogResource } from '@minjiang/standards';
import type { LightMyRequestResponse } from 'fastify';
import { department, type TestHub } from './hub.js';

const FULL = JSON.parse(
  readFileSync(new URL('../../../fixtures/catalog-resource/valid/full.json', import.meta.url), 'utf8'),
) as CatalogResource;

/** The code of the n-th test resource: 部门 class, Fujian profile (6-digit sequence). */
export function resourceCode(n: number): string {
  return `3350010001/${String(n).padStart(6, '0')}`;
}

/** The same code percent-encoded, as it travels in a path. */
export function encodedCode(n: number): string {
  return encodeURIComponent(resourceCode(n));
}

/**
 * A valid catalog entry built on the full fixture, owned by a seeded department (GAT unless
 * told otherwise), with the code of test resource `n` and any fields replaced.
 */
export function catalogEntry(
  n: number,
  overrides: Partial<CatalogResource> = {},
  dept = 'GAT',
): CatalogResource {
  const owner = department(dept);
  const entry: CatalogResource = structuredClone(FULL);
  delete entry.relatedResources;
  return {
    ...entry,
    code: resourceCode(n),
    provider: { name: owner.name, uscc: owner.uscc, regionCode: '350000' },
    ...overrides,
  };
}

/**
 * A small unstructured entry (a PDF document, no items) whose searchable text is only what is
 * given plus the provider's name: for search tests, where the full fixture's text would match.
 */
export function plainEntry(
  n: number,
  text: { name: string; summary: string; keywords?: string[] },
  dept = 'GAT',
): CatalogResource {
  const owner = department(dept);
  return {
    code: resourceCode(n),
    name: text.name,
    resourceClass: '部门信息资源',
    provider: { name: owner.name, uscc: owner.uscc },
    summary: text.summary,
    ...(text.keywords ? { keywords: text.keywords } : {}),
    format: { category: '电子文件', type: 'pdf' },
    sharing: { type: '无条件共享', methodCategory: '共享平台方式', methodTypes: ['文件'] },
    opening: { type: '无条件开放' },
    updateCycle: '不定期',
    publishedAt: '2023-01-10',
    grading: { level: '一般数据1级' },
  };
}

/** `PUT` an entry at its own code with a token and extra headers. */
export function putEntry<T extends { code: string }>(
  hub: TestHub,
  token: string,
  entry: T,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return hub.call(token, {
    method: 'PUT',
    url: `/api/v1/catalog/resources/${encodeURIComponent(entry.code)}`,
    payload: entry,
    headers,
  });
}

/** A review transition (`submit`, `approve`, `reject`, `withdraw`) of a resource. */
export function transition(
  hub: TestHub,
  token: string,
  code: string,
  action: string,
  payload?: object,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return hub.call(token, {
    method: 'POST',
    url: `/api/v1/catalog/resources/${encodeURIComponent(code)}:${action}`,
    ...(payload ? { payload } : {}),
    headers,
  });
}

/** Rows that a write of one resource touches, to prove what was (not) written. */
export async function rowCounts(hub: TestHub, code: string) {
  const db = hub.app.hub.store.db;
  const count = async (table: 'catalog_resources' | 'catalog_versions' | 'catalog_terms') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .where('code', '=', code)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const audit = await db
    .selectFrom('audit_entries')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('object', '=', code)
    .where('action', 'like', 'catalog.change.%')
    .executeTakeFirstOrThrow();
  return {
    resources: await count('catalog_resources'),
    versions: await count('catalog_versions'),
    terms: await count('catalog_terms'),
    audit: Number(audit.n),
  };
}
