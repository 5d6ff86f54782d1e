import {
  AUDIT_EXPORT_FORMAT,
  validateAuditCheckpoint,
  validateAuditLeaf,
  verifyAuditExport,
} from '@minjiang/standards';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogEntry, putEntry, resourceCode, transition } from '../../../test-utils/catalog.js';
import { buildTestHub, department, ENGINES, type TestHub } from '../../../test-utils/hub.js';
import { maybeCheckpoint, type CheckpointRecord } from './checkpoints.js';
import type { AuditItem } from './query.js';

type Page = { items: AuditItem[]; next: string | null };

/** Every audit route, as the role matrix walks them. */
const ROUTES = [
  { method: 'GET', url: '/api/v1/audit' },
  { method: 'GET', url: '/api/v1/audit/checkpoints' },
  { method: 'POST', url: '/api/v1/audit/checkpoints' },
  { method: 'GET', url: '/api/v1/audit/export' },
  { method: 'GET', url: '/api/v1/audit/verify' },
] as const;

describe.each(ENGINES)('audit log on %s', (engine) => {
  let hub: TestHub;
  let publicKey: string;
  beforeAll(async () => {
    hub = await buildTestHub(engine, { checkpointEvery: 5 });
    publicKey = hub.app.hub.key.publicKey;
    // A catalog resource taken through review, so the log holds catalog and admin events.
    await putEntry(hub, hub.tokens.officer, catalogEntry(1));
    await transition(hub, hub.tokens.officer, resourceCode(1), 'submit');
    await transition(hub, hub.tokens.admin, resourceCode(1), 'approve');
    await maybeCheckpoint(hub.app);
  });
  afterAll(async () => hub.close());

  const asAuditor = (url: string, method: 'GET' | 'POST' = 'GET') =>
    hub.call(hub.tokens.auditor, { method, url });
  const page = async (query: string) => (await asAuditor(`/api/v1/audit${query}`)).json() as Page;
  const head = async () =>
    (await hub.app.hub.store.db.selectFrom('audit_head').select('seq').executeTakeFirstOrThrow()).seq;

  it('lets the auditor alone in: 403 for admin, officer, reviewer and consumer, 401 without a token', async () => {
    const wrong: string[] = [];
    for (const { method, url } of ROUTES) {
      if ((await asAuditor(url, method)).statusCode >= 300) wrong.push(`${method} ${url} auditor`);
      for (const role of ['admin', 'officer', 'otherOfficer', 'reviewer', 'consumer'] as const) {
        const response = await hub.call(hub.tokens[role], { method, url });
        if (response.statusCode !== 403 || response.json<{ code: string }>().code !== 'HUB_ERR_FORBIDDEN')
          wrong.push(`${method} ${url} ${role}: ${response.statusCode}`);
      }
      if ((await hub.call(null, { method, url })).statusCode !== 401) wrong.push(`${method} ${url} none`);
    }
    expect(wrong).toEqual([]);
  });

  it('has no route that changes or deletes an entry', async () => {
    const doc = (await hub.call(null, { method: 'GET', url: '/api/v1/openapi.json' })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const operations = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/api/v1/audit'))
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method} ${path}`));
    expect(operations.sort()).toEqual(ROUTES.map((r) => `${r.method.toLowerCase()} ${r.url}`).sort());
    for (const method of ['PUT', 'PATCH', 'DELETE'] as const) {
      const response = await hub.call(hub.tokens.admin, { method, url: '/api/v1/audit/1', payload: {} });
      expect(response.statusCode).toBe(404);
    }
  });

  it('writes leaves and checkpoints that the standards schemas accept', async () => {
    const rows = await hub.app.hub.store.db.selectFrom('audit_entries').select(['seq', 'leaf']).execute();
    expect(rows.length).toBeGreaterThan(20);
    const invalid = rows
      .map((row) => ({ seq: row.seq, issues: validateAuditLeaf(JSON.parse(row.leaf)) }))
      .filter(({ issues }) => issues.some((issue) => issue.severity === 'error'));
    expect(invalid).toEqual([]);
    const signed = await asAuditor('/api/v1/audit/checkpoints', 'POST');
    expect([200, 201]).toContain(signed.statusCode);
    const record = signed.json<CheckpointRecord>();
    // Only AUD-011 (no witness cosignature yet) may remain, as a warning.
    expect(validateAuditCheckpoint(record.checkpoint).filter((i) => i.severity === 'error')).toEqual([]);
    expect(record.checkpoint).toMatchObject({ origin: 'ses.350000.audit/v1', size: await head() });
    expect(record.note).toBe(
      `ses.350000.audit/v1\n${record.checkpoint.size}\n${record.checkpoint.rootHash}\ntime ${record.checkpoint.time}\n`,
    );
  });

  it('keeps who, what, when and the result in the leaf, and the whole event in its evidence', async () => {
    const { items } = await page(`?object=${encodeURIComponent(resourceCode(1))}`);
    expect(items.map((item) => item.action)).toEqual([
      'catalog.change.create',
      'catalog.change.submit',
      'catalog.change.approve',
    ]);
    const approve = items[2] as AuditItem;
    const gat = department('GAT');
    expect(approve.leaf).toMatchObject({
      v: 1,
      hub: '350000',
      type: 'catalog.change',
      result: 'success',
      actor: { role: 'admin' },
      object: resourceCode(1),
      toState: 'PUBLISHED',
      catalog: { object: `urn:ses:ds:350000:${gat.uscc}:${resourceCode(1)}`, version: 1, change: 'Create' },
    });
    expect(approve.leaf.ts).toBe(approve.time);
    expect(approve.event).toMatchObject({
      type: 'catalog.change',
      action: 'approve',
      detail: { version: 1 },
    });
    const [issued] = (await page('?action=admin.token.issue&limit=1')).items;
    expect(issued?.leaf).toMatchObject({ type: 'admin.token_issue', actor: { role: 'system' } });
  });

  it('filters by action, actor, organisation, object, result and time, and pages by seq', async () => {
    const officerId = (await hub.call(hub.tokens.officer, { method: 'GET', url: '/api/v1/whoami' })).json<{
      tokenId: string;
    }>().tokenId;
    const byActor = await page(`?actor=${officerId}`);
    expect(byActor.items.map((i) => i.action)).toEqual(['catalog.change.create', 'catalog.change.submit']);
    const byOrg = await page(`?org=${encodeURIComponent(department('GAT').id)}`);
    expect(byOrg.items).toHaveLength(2);
    expect((await page('?result=failure')).items).toEqual([]);
    const all: AuditItem[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const next: Page = await page(`?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      all.push(...next.items);
      cursor = next.next;
    }
    expect(all.map((item) => item.seq)).toEqual(Array.from({ length: await head() }, (_, i) => i + 1));
    const time = all[all.length - 1]?.time as string;
    expect((await page(`?from=${encodeURIComponent(time)}`)).items.every((i) => i.time >= time)).toBe(true);
    expect((await page(`?to=${encodeURIComponent(time)}&limit=1000`)).items.every((i) => i.time < time)).toBe(
      true,
    );
    expect((await asAuditor('/api/v1/audit?cursor=abc')).statusCode).toBe(400);
    expect((await asAuditor('/api/v1/audit?colour=red')).statusCode).toBe(400);
  });

  it('signs a checkpoint after every checkpointEvery entries, on demand, and one per size', async () => {
    const before = (await asAuditor('/api/v1/audit/checkpoints')).json<{ items: CheckpointRecord[] }>();
    expect(before.items.length).toBeGreaterThan(0);
    for (let i = 0; i < 6; i += 1) {
      const name = `batch ${i}`;
      await hub.call(hub.tokens.admin, {
        method: 'POST',
        url: '/api/v1/tokens',
        payload: { orgId: department('GAT').id, name, roles: ['consumer'] },
      });
    }
    await maybeCheckpoint(hub.app);
    const after = (await asAuditor('/api/v1/audit/checkpoints')).json<{ items: CheckpointRecord[] }>();
    const last = after.items[after.items.length - 1] as CheckpointRecord;
    expect(after.items.length).toBeGreaterThan(before.items.length);
    expect(last.checkpoint.size).toBeGreaterThan((await head()) - 5);
    const now = await asAuditor('/api/v1/audit/checkpoints', 'POST');
    const again = await asAuditor('/api/v1/audit/checkpoints', 'POST');
    expect(now.json<CheckpointRecord>().checkpoint.size).toBe(await head());
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(now.json());
  });

  it('exports the log as JSON Lines that verify offline, whole or from the middle', async () => {
    const size = await head();
    const whole = await asAuditor('/api/v1/audit/export');
    expect(whole.statusCode).toBe(200);
    expect(whole.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const lines = whole.body.trim().split('\n');
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      format: AUDIT_EXPORT_FORMAT,
      hub: '350000',
      publicKey,
    });
    expect(verifyAuditExport(whole.body, publicKey)).toMatchObject({ ok: true, size });
    const middle = await asAuditor(`/api/v1/audit/export?from=8&to=${size - 2}`);
    const result = verifyAuditExport(middle.body, publicKey);
    expect(result).toMatchObject({ ok: true, size: size - 2 });
    expect(result.ok && result.checkpoints).toBeGreaterThan(0);
    const entries = middle.body.split('\n').filter((line) => line.includes('"leafHash"'));
    expect(JSON.parse(entries[0] as string)).toMatchObject({ seq: 8 });
    expect(verifyAuditExport(middle.body.replace(/^.*\n/, ''), publicKey)).toMatchObject({
      ok: false,
      reason: 'BAD_EXPORT',
    });
    expect(verifyAuditExport(whole.body, '04'.padEnd(130, '1'))).toMatchObject({ reason: 'KEY_MISMATCH' });
    const cut = lines.filter((line) => !line.startsWith(`{"seq":${size},`));
    expect(verifyAuditExport(cut.join('\n'), publicKey)).toEqual({
      ok: false,
      seq: size,
      reason: 'TRUNCATED',
      detail: `entries end at ${size - 1}`,
    });
    expect((await asAuditor(`/api/v1/audit/export?from=${size + 5}`)).statusCode).toBe(400);
  });

  it('never throws on a damaged export, and fails at the entry whose leaf was touched', async () => {
    const text = (await asAuditor('/api/v1/audit/export')).body;
    // About 150 single-character changes spread over the whole export.
    for (let at = 0; at < text.length; at += Math.ceil(text.length / 150)) {
      const damaged = `${text.slice(0, at)}${text[at] === '7' ? '8' : '7'}${text.slice(at + 1)}`;
      expect(() => verifyAuditExport(damaged, publicKey)).not.toThrow();
    }
    const lines = text.split('\n');
    const index = lines.findIndex((line) => line.startsWith('{"seq":5,'));
    const entry = JSON.parse(lines[index] as string) as { leaf: string };
    lines[index] = JSON.stringify({ ...entry, leaf: entry.leaf.replace('"v":1', '"v":2') });
    expect(verifyAuditExport(lines.join('\n'), publicKey)).toMatchObject({
      ok: false,
      seq: 5,
      reason: 'LEAF_HASH_MISMATCH',
    });
    const garbage = `${text}{"checkpoint":{"size":"x"}}\n`;
    expect(verifyAuditExport(garbage, publicKey)).toMatchObject({ ok: false, reason: 'BAD_EXPORT' });
  });

  it('verifies the live log', async () => {
    const response = await asAuditor('/api/v1/audit/verify');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ ok: true, size: await head() });
    expect(response.json<{ checkpoints: number }>().checkpoints).toBeGreaterThan(1);
  });
});
