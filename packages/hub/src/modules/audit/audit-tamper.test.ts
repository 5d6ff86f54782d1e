import {
  chainHash,
  generateSm2KeyPair,
  hexToBase64,
  sm2Sign,
  sm3Hex,
  verifyAuditExport,
  type AuditVerification,
} from '@minjiang/standards';
import type { Insertable, Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestHub, department, ENGINES, type TestHub } from '../../../test-utils/hub.js';
import type { AuditCheckpointTable, Database } from '../../db/schema.js';
import type { CheckpointRecord } from './checkpoints.js';

/** The entry every tampering below aims at: well inside the first checkpoint. */
const K = 10;

describe.each(ENGINES)('audit log tampering on %s', (engine) => {
  let hub: TestHub;
  let db: Kysely<Database>;
  let firstCheckpoint: number;
  beforeAll(async () => {
    hub = await buildTestHub(engine, { checkpointEvery: 0 });
    db = hub.app.hub.store.db;
    firstCheckpoint = (await sign()).checkpoint.size;
    for (let i = 0; i < 4; i += 1) await issueToken(`after ${i}`);
    await sign();
  });
  afterAll(async () => hub.close());

  async function sign(): Promise<CheckpointRecord> {
    return (await hub.call(hub.tokens.auditor, { method: 'POST', url: '/api/v1/audit/checkpoints' })).json();
  }
  async function issueToken(name: string) {
    const payload = { orgId: department('GAT').id, name, roles: ['consumer'] };
    return hub.call(hub.tokens.admin, { method: 'POST', url: '/api/v1/tokens', payload });
  }
  const live = async () =>
    (
      await hub.call(hub.tokens.auditor, { method: 'GET', url: '/api/v1/audit/verify' })
    ).json<AuditVerification>();
  const exported = async () =>
    verifyAuditExport(
      (await hub.call(hub.tokens.auditor, { method: 'GET', url: '/api/v1/audit/export' })).body,
      hub.app.hub.key.publicKey,
    );
  const entry = (seq: number) =>
    db.selectFrom('audit_entries').selectAll().where('seq', '=', seq).executeTakeFirstOrThrow();
  const headSeq = async () => (await db.selectFrom('audit_head').select('seq').executeTakeFirstOrThrow()).seq;

  /** Runs a tampering, then puts the log back exactly as it was and checks that it verifies. */
  async function tampering(run: () => Promise<void>): Promise<void> {
    const entries = await db.selectFrom('audit_entries').selectAll().orderBy('seq').execute();
    const head = await db.selectFrom('audit_head').selectAll().execute();
    const checkpoints = await db.selectFrom('audit_checkpoints').selectAll().execute();
    try {
      await run();
    } finally {
      await db.deleteFrom('audit_entries').execute();
      await db.deleteFrom('audit_head').execute();
      await db.deleteFrom('audit_checkpoints').execute();
      for (let at = 0; at < entries.length; at += 200)
        await db
          .insertInto('audit_entries')
          .values(entries.slice(at, at + 200))
          .execute();
      await db.insertInto('audit_head').values(head).execute();
      await db
        .insertInto('audit_checkpoints')
        .values(checkpoints as Insertable<AuditCheckpointTable>[])
        .execute();
    }
    expect(await live()).toMatchObject({ ok: true });
  }

  async function expectFailure(seq: number, reason: string, inExport = true) {
    expect(await live()).toMatchObject({ ok: false, seq, reason });
    if (inExport) expect(await exported()).toMatchObject({ ok: false, seq, reason });
  }

  it('verifies before anything is touched, with both checkpoints', async () => {
    expect(await live()).toMatchObject({ ok: true, size: await headSeq(), checkpoints: 2 });
    expect(await exported()).toMatchObject({ ok: true, size: await headSeq(), checkpoints: 2 });
  });

  it('(a) fails at an entry whose leaf was modified', async () => {
    await tampering(async () => {
      const { leaf } = await entry(K);
      const changed = leaf.replace('"result":"success"', '"result":"failure"');
      expect(changed).not.toBe(leaf);
      await db.updateTable('audit_entries').set({ leaf: changed }).where('seq', '=', K).execute();
      await expectFailure(K, 'LEAF_HASH_MISMATCH');
    });
  });

  it('(b) fails at the seq of a deleted entry', async () => {
    await tampering(async () => {
      await db.deleteFrom('audit_entries').where('seq', '=', K).execute();
      await expectFailure(K, 'SEQ_GAP');
    });
  });

  it('(c) fails at the first of two entries whose leaves were swapped', async () => {
    await tampering(async () => {
      const [a, b] = [await entry(K), await entry(K + 3)];
      await db.updateTable('audit_entries').set({ leaf: b.leaf }).where('seq', '=', K).execute();
      await db
        .updateTable('audit_entries')
        .set({ leaf: a.leaf })
        .where('seq', '=', K + 3)
        .execute();
      await expectFailure(K, 'LEAF_HASH_MISMATCH');
      // Swapping their leaf hashes too (a whole reordering of the content) still breaks the chain there.
      await db.updateTable('audit_entries').set({ leaf_hash: b.leaf_hash }).where('seq', '=', K).execute();
      await db
        .updateTable('audit_entries')
        .set({ leaf_hash: a.leaf_hash })
        .where('seq', '=', K + 3)
        .execute();
      await expectFailure(K, 'CHAIN_BROKEN');
    });
  });

  it('(d) fails at an entry rewritten with its own leaf hash recomputed', async () => {
    await tampering(async () => {
      const leaf = (await entry(K)).leaf.replace('"result":"success"', '"result":"failure"');
      await db
        .updateTable('audit_entries')
        .set({ leaf, leaf_hash: sm3Hex(leaf) })
        .where('seq', '=', K)
        .execute();
      await expectFailure(K, 'CHAIN_BROKEN');
    });
  });

  it('catches a rewrite that recomputes every later link and the head at the checkpoint covering it', async () => {
    await tampering(async () => {
      const rows = await db
        .selectFrom('audit_entries')
        .selectAll()
        .where('seq', '>=', K)
        .orderBy('seq')
        .execute();
      let link = (await entry(K - 1)).chain_hash;
      for (const row of rows) {
        const leaf = row.seq === K ? row.leaf.replace('"result":"success"', '"result":"failure"') : row.leaf;
        link = chainHash(link, sm3Hex(leaf));
        await db
          .updateTable('audit_entries')
          .set({ leaf, leaf_hash: sm3Hex(leaf), chain_hash: link })
          .where('seq', '=', row.seq)
          .execute();
      }
      await db.updateTable('audit_head').set({ chain_hash: link }).execute();
      await expectFailure(firstCheckpoint, 'CHECKPOINT_MISMATCH');
    });
  });

  it('fails at a checkpoint whose signature was forged, live and in the export', async () => {
    await tampering(async () => {
      const [record] = (
        await hub.call(hub.tokens.auditor, { method: 'GET', url: '/api/v1/audit/checkpoints?limit=1' })
      ).json<{ items: CheckpointRecord[] }>().items;
      const forger = generateSm2KeyPair();
      const signature = hexToBase64(sm2Sign(record?.note ?? '', forger.privateKey));
      await db
        .updateTable('audit_checkpoints')
        .set({ signature })
        .where('size', '=', firstCheckpoint)
        .execute();
      await expectFailure(firstCheckpoint, 'CHECKPOINT_SIGNATURE');
    });
  });

  it('fails at an entry whose evidence bundle or filter column was edited', async () => {
    await tampering(async () => {
      const { evidence } = await entry(K);
      const salted = evidence.replace(/"salt":"[0-9a-f]/, '"salt":"x');
      await db.updateTable('audit_entries').set({ evidence: salted }).where('seq', '=', K).execute();
      await expectFailure(K, 'EVIDENCE_MISMATCH');
      await db.updateTable('audit_entries').set({ evidence }).where('seq', '=', K).execute();
      await db.updateTable('audit_entries').set({ actor: 'someone-else' }).where('seq', '=', K).execute();
      // The export carries the leaf and evidence only: the filter columns are the live check's.
      await expectFailure(K, 'INDEX_MISMATCH', false);
    });
  });

  it('catches entries cut off the end, even with the head moved back', async () => {
    await tampering(async () => {
      const last = await headSeq();
      await db.deleteFrom('audit_entries').where('seq', '=', last).execute();
      await expectFailure(last, 'TRUNCATED');
      const previous = await entry(last - 1);
      await db
        .updateTable('audit_head')
        .set({ seq: last - 1, chain_hash: previous.chain_hash })
        .execute();
      expect(await live()).toMatchObject({ ok: false, seq: last, reason: 'TRUNCATED' });
    });
  });

  it('refuses to sign a checkpoint over entries that do not verify', async () => {
    await tampering(async () => {
      await issueToken('one more');
      const last = await headSeq();
      const leaf = (await entry(last)).leaf.replace('"result":"success"', '"result":"failure"');
      await db.updateTable('audit_entries').set({ leaf }).where('seq', '=', last).execute();
      const refused = await hub.call(hub.tokens.auditor, {
        method: 'POST',
        url: '/api/v1/audit/checkpoints',
      });
      expect(refused.statusCode).toBe(409);
      expect(refused.json()).toMatchObject({ code: 'HUB_ERR_AUDIT_BROKEN' });
      expect(refused.json<{ message: string }>().message).toContain(String(last));
    });
  });
});
