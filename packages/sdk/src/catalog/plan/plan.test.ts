import { readFileSync } from 'node:fs';
import type { CatalogResource } from '@minjiang/standards';
import { describe, expect, it } from 'vitest';
import type { CatalogState } from '../state/types.js';
import { contentHashOf } from './documents.js';
import { planCatalog } from './plan.js';
import type { CatalogPlan, HubResource, HubSnapshot } from './types.js';

const FULL = JSON.parse(
  readFileSync(new URL('../../../../../fixtures/catalog-resource/valid/full.json', import.meta.url), 'utf8'),
) as CatalogResource;

const code = (n: number) => `3350010001/${String(n).padStart(6, '0')}`;

function resource(n: number, overrides: Partial<CatalogResource> = {}): CatalogResource {
  return { ...structuredClone(FULL), code: code(n), name: `资源${n}`, ...overrides };
}

function onHub(document: CatalogResource, status: HubResource['status'] = 'draft', version = 1): HubResource {
  const contentHash = contentHashOf(document);
  const etag = `"${version}-${contentHash.slice(4, 20)}"`;
  return { code: document.code, orgId: 'ORG', version, status, etag, contentHash, document };
}

function snapshot(...resources: HubResource[]): HubSnapshot {
  return {
    format: 'minjiang-hub-snapshot/1',
    hub: { baseURL: 'http://127.0.0.1:8750', code: '350000' },
    orgId: 'ORG',
    takenAt: '2025-03-01T08:00:00.000Z',
    resources: Object.fromEntries(resources.map((r) => [r.code, r])),
  };
}

function state(...documents: CatalogResource[]): CatalogState {
  return {
    format: 'minjiang-catalog-state/1',
    hub: { baseURL: 'http://127.0.0.1:8750', code: '350000' },
    orgId: 'ORG',
    updatedAt: '2025-02-01T08:00:00.000Z',
    resources: Object.fromEntries(
      documents.map((document) => [
        document.code,
        {
          document,
          version: 1,
          etag: '"1-x"',
          contentHash: contentHashOf(document),
          status: 'draft',
          appliedAt: '',
        },
      ]),
    ),
  };
}

const only = (plan: CatalogPlan, n: number) => {
  const found = plan.resources.find((r) => r.code === code(n));
  if (!found) throw new Error(`no plan entry for ${code(n)}`);
  return found;
};

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

describe('planCatalog without a last-applied state (two-way)', () => {
  const local = [resource(1), resource(2), resource(3, { summary: '本地改过的摘要。' })];
  const hub = snapshot(onHub(resource(2)), onHub(resource(3)), onHub(resource(4)));
  const plan = planCatalog({ local, hub });

  it('creates what the hub lacks, leaves what it has alone, and lets local win where they differ', () => {
    expect(plan.mode).toBe('two-way');
    expect(plan.resources.map((r) => [r.code, r.action, r.basis])).toEqual([
      [code(1), 'create', 'two-way'],
      [code(2), 'unchanged', 'two-way'],
      [code(3), 'update', 'two-way'],
    ]);
    expect(only(plan, 1).document).toEqual(resource(1));
    expect(only(plan, 1).contentHash).toBe(contentHashOf(resource(1)));
    expect(plan.summary).toMatchObject({ create: 1, update: 1, unchanged: 1, conflict: 0, prune: 0 });
  });

  it('gives an update a field-level diff, from the hub to what will be sent, and the ETag read', () => {
    const update = only(plan, 3);
    expect(update.changes).toEqual([{ pointer: '/summary', from: FULL.summary, to: '本地改过的摘要。' }]);
    expect(update.hub?.etag).toBe(hub.resources[code(3)]?.etag);
  });

  it('never touches what is on the hub but was never applied from here', () => {
    expect(plan.unmanaged).toEqual([code(4)]);
    expect(plan.resources.some((r) => r.code === code(4))).toBe(false);
  });
});

describe('planCatalog compares only what a department owns', () => {
  it('ignores hub-owned fields and compares code-table values in canonical form', () => {
    const local = {
      ...resource(1),
      status: 'published',
      version: 7,
      etag: '"7-abc"',
      updatedAt: '2025-01-01',
      sharing: { ...FULL.sharing, type: '2' },
    };
    const plan = planCatalog({ local: [local], hub: snapshot(onHub(resource(1), 'submitted', 3)) });
    expect(only(plan, 1).action).toBe('unchanged');
  });

  it('never sends a hub-owned field', () => {
    const local = { ...resource(1, { summary: '新摘要。' }), status: 'published', reviewer: 'x', orgId: 'X' };
    const sent = only(planCatalog({ local: [local], hub: snapshot(onHub(resource(1))) }), 1).document;
    expect(sent).toEqual(resource(1, { summary: '新摘要。' }));
    const created = only(planCatalog({ local: [local], hub: snapshot() }), 1).document;
    expect(Object.keys(created ?? {})).not.toContain('status');
  });
});

describe('planCatalog with a last-applied state (three-way)', () => {
  const base = resource(1);

  it('sends a local change with its diff', () => {
    const plan = planCatalog({
      local: [resource(1, { summary: '本地新摘要。' })],
      hub: snapshot(onHub(base)),
      lastApplied: state(base),
    });
    expect(plan.mode).toBe('three-way');
    expect(only(plan, 1)).toMatchObject({ action: 'update', basis: 'three-way', drift: [], conflicts: [] });
    expect(only(plan, 1).changes.map((c) => c.pointer)).toEqual(['/summary']);
  });

  it('keeps a field changed only on the hub (drift) and sends nothing', () => {
    const plan = planCatalog({
      local: [base],
      hub: snapshot(onHub(resource(1, { name: '枢纽改名' }))),
      lastApplied: state(base),
    });
    const planned = only(plan, 1);
    expect(planned.action).toBe('drift');
    expect(planned.drift).toEqual([{ pointer: '/name', from: '资源1', to: '枢纽改名' }]);
    expect(planned.document).toBeUndefined();
    expect(plan.summary.drift).toBe(1);
  });

  it('lays a local change over the hub’s document, keeping the hub’s own change', () => {
    const plan = planCatalog({
      local: [resource(1, { summary: '本地新摘要。' })],
      hub: snapshot(onHub(resource(1, { name: '枢纽改名' }))),
      lastApplied: state(base),
    });
    const planned = only(plan, 1);
    expect(planned.action).toBe('update');
    expect(planned.changes.map((c) => c.pointer)).toEqual(['/summary']);
    expect(planned.drift.map((d) => d.pointer)).toEqual(['/name']);
    expect(planned.document).toMatchObject({ name: '枢纽改名', summary: '本地新摘要。' });
  });

  it('reports a field changed on both sides differently as a conflict, and sends nothing', () => {
    const plan = planCatalog({
      local: [resource(1, { summary: '本地摘要。' })],
      hub: snapshot(onHub(resource(1, { summary: '枢纽摘要。' }))),
      lastApplied: state(base),
    });
    const planned = only(plan, 1);
    expect(planned.action).toBe('conflict');
    expect(planned.conflicts).toEqual([
      { pointer: '/summary', base: FULL.summary, local: '本地摘要。', hub: '枢纽摘要。' },
    ]);
    expect(planned.document).toBeUndefined();
  });

  it('settles a conflict with the local or the hub’s value when told to', () => {
    const input = {
      local: [resource(1, { summary: '本地摘要。' })],
      hub: snapshot(onHub(resource(1, { summary: '枢纽摘要。' }))),
      lastApplied: state(base),
    };
    const local = only(planCatalog({ ...input, resolve: 'local' }), 1);
    expect(local).toMatchObject({ action: 'update', document: { summary: '本地摘要。' } });
    expect(local.conflicts).toHaveLength(1);
    expect(only(planCatalog({ ...input, resolve: 'hub' }), 1).action).toBe('unchanged');
  });

  it('takes the same edit on both sides as agreed', () => {
    const edited = resource(1, { summary: '两边一样。' });
    const planned = only(
      planCatalog({ local: [edited], hub: snapshot(onHub(edited)), lastApplied: state(base) }),
      1,
    );
    expect(planned).toMatchObject({ action: 'unchanged', drift: [], conflicts: [] });
  });

  it('treats a list that changed length as one value: an item added on the hub meets a local item edit', () => {
    const items = FULL.items ?? [];
    const hubItems = [...items, { name: '新增项', dataType: 'C' as const, length: 10 }];
    const localItems = items.map((item, index) => (index === 0 ? { ...item, length: 20 } : item));
    const planned = only(
      planCatalog({
        local: [resource(1, { items: localItems })],
        hub: snapshot(onHub(resource(1, { items: hubItems }))),
        lastApplied: state(base),
      }),
      1,
    );
    expect(planned.action).toBe('conflict');
    expect(planned.conflicts.map((c) => c.pointer)).toEqual(['/items']);
  });

  it('merges edits of different list elements and fields', () => {
    const items = FULL.items ?? [];
    const localItems = items.map((item, index) => (index === 0 ? { ...item, length: 20 } : item));
    const planned = only(
      planCatalog({
        local: [resource(1, { items: localItems })],
        hub: snapshot(onHub(resource(1, { keywords: ['人口'] }))),
        lastApplied: state(base),
      }),
      1,
    );
    expect(planned.action).toBe('update');
    expect(planned.changes.map((c) => c.pointer)).toEqual(['/items/0/length']);
    expect(planned.document).toMatchObject({ keywords: ['人口'], items: localItems });
  });

  it('offers what was applied and is no longer local as a prune candidate, with the ETag read', () => {
    const hub = snapshot(onHub(base, 'published', 2));
    const planned = only(planCatalog({ local: [], hub, lastApplied: state(base) }), 1);
    expect(planned).toMatchObject({
      action: 'prune',
      hub: { etag: hub.resources[code(1)]?.etag, status: 'published' },
    });
  });

  it('forgets what is gone from the hub or already withdrawn there', () => {
    const plan = planCatalog({
      local: [],
      hub: snapshot(onHub(resource(2), 'withdrawn')),
      lastApplied: state(base, resource(2)),
    });
    expect(plan.resources).toEqual([]);
    expect(plan.forgotten).toEqual([code(1), code(2)]);
  });

  it('still prunes a withdrawn draft whose earlier version is published', () => {
    const hub = snapshot({ ...onHub(base, 'withdrawn', 2), publishedVersion: 1 });
    expect(only(planCatalog({ local: [], hub, lastApplied: state(base) }), 1).action).toBe('prune');
  });

  it('registers again, with If-None-Match, what was applied but is missing on the hub', () => {
    expect(only(planCatalog({ local: [base], hub: snapshot(), lastApplied: state(base) }), 1)).toMatchObject({
      action: 'create',
      basis: 'three-way',
    });
  });

  it('brings back a withdrawn resource that is local again', () => {
    const planned = only(planCatalog({ local: [base], hub: snapshot(onHub(base, 'withdrawn')) }), 1);
    expect(planned).toMatchObject({ action: 'update', revive: true, changes: [] });
  });
});

describe('planCatalog as a function', () => {
  it('is pure: frozen inputs, the same plan twice', () => {
    const input = deepFreeze({
      local: [resource(1, { summary: '本地摘要。' }), resource(2)],
      hub: snapshot(onHub(resource(1, { name: '改名' })), onHub(resource(3))),
      lastApplied: state(resource(1), resource(3)),
    });
    expect(planCatalog(input)).toEqual(planCatalog(input));
  });

  it('plans nothing more once its plan has been applied', () => {
    const base = resource(1);
    const local = [resource(1, { summary: '新摘要。' }), resource(2), resource(3)];
    const hub = snapshot(onHub(resource(1, { name: '枢纽改名' })), onHub(resource(3, { name: '别人改的' })));
    const plan = planCatalog({ local, hub, lastApplied: state(base, resource(3)) });
    // Applied: the hub holds what was sent; the state holds the local documents.
    const after = snapshot(
      ...Object.values(hub.resources).map((r) => {
        const sent = plan.resources.find((p) => p.code === r.code)?.document;
        return sent ? onHub(sent, 'draft', 2) : r;
      }),
      onHub(resource(2)),
    );
    const again = planCatalog({ local, hub: after, lastApplied: state(...local) });
    expect(again.resources.map((r) => [r.code, r.action])).toEqual([
      [code(1), 'drift'],
      [code(2), 'unchanged'],
      [code(3), 'drift'],
    ]);
    expect(again.summary).toMatchObject({ create: 0, update: 0, conflict: 0, prune: 0 });
  });

  it('refuses a local catalog with a code twice or none, and a state of another organisation', () => {
    expect(() => planCatalog({ local: [resource(1), resource(1)], hub: snapshot() })).toThrow(
      expect.objectContaining({ code: 'CATALOG-PLAN-DUPLICATE' }),
    );
    expect(() => planCatalog({ local: [{ name: 'x' }], hub: snapshot() })).toThrow(
      expect.objectContaining({ code: 'CATALOG-PLAN-NO-CODE' }),
    );
    const other = { ...state(), orgId: 'OTHER' };
    expect(() => planCatalog({ local: [], hub: snapshot(), lastApplied: other })).toThrow(
      expect.objectContaining({ code: 'CATALOG-STATE-MISMATCH' }),
    );
  });
});
