import { AUDIT_EXPORT_FORMAT, type AuditExportEntry, type AuditExportHeader } from '@minjiang/standards';
import { HubError } from '../../errors.js';
import type { HubContext } from '../../plugins/store.js';
import { toRecord } from './checkpoints.js';
import { auditOrigin, chainHashAt, entryPages, rangeAt, readHead } from './store.js';

/*
 * Writes the audit export: a header, the entries of the range, then its checkpoints. The
 * format, its types and the offline verifier (`verifyAuditExport`) live in @minjiang/standards,
 * so the SDK and CLI verify an export without the hub.
 */

/** The range to export: `from` 1 and `to` the committed head by default; refused if outside. */
export async function exportRange(
  hub: HubContext,
  query: { from?: number; to?: number },
): Promise<{ from: number; to: number }> {
  const head = await readHead(hub.store.db);
  const from = query.from ?? 1;
  const to = Math.min(query.to ?? head.seq, head.seq);
  if (from > head.seq + 1 || to < from - 1) {
    throw new HubError('HUB_ERR_BAD_REQUEST', {
      detail: `the range ${from}–${query.to ?? head.seq} is outside the log (1–${head.seq})`,
    });
  }
  return { from, to };
}

async function header(hub: HubContext, from: number, to: number): Promise<AuditExportHeader> {
  const { db } = hub.store;
  const size = from - 1;
  const range = await rangeAt(db, size);
  return {
    format: AUDIT_EXPORT_FORMAT,
    hub: hub.config.hubCode,
    origin: auditOrigin(hub.config.hubCode),
    keyId: hub.key.keyId,
    publicKey: hub.key.publicKey,
    algorithm: 'sm2-sm3',
    from,
    to,
    // A missing entry before the range shows up as a broken chain at `from`.
    previous: { size, chainHash: (await chainHashAt(db, size)) ?? '', merkleRange: range.hashes },
    exportedAt: hub.now().toISOString(),
  };
}

/** The export's lines, each ending in a newline, streamed a page at a time. */
export async function* auditExportLines(hub: HubContext, from: number, to: number): AsyncGenerator<string> {
  const { db } = hub.store;
  yield `${JSON.stringify(await header(hub, from, to))}\n`;
  for await (const page of entryPages(db, from - 1, to)) {
    const lines = page.map((row) => {
      const entry: AuditExportEntry = {
        seq: row.seq,
        leaf: row.leaf,
        leafHash: row.leaf_hash,
        chainHash: row.chain_hash,
        evidence: row.evidence,
      };
      return `${JSON.stringify(entry)}\n`;
    });
    yield lines.join('');
  }
  const checkpoints = await db
    .selectFrom('audit_checkpoints')
    .selectAll()
    .where('size', '>=', from - 1)
    .where('size', '<=', to)
    .orderBy('size')
    .execute();
  for (const row of checkpoints) yield `${JSON.stringify(toRecord(row))}\n`;
}
