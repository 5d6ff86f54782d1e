import {
  base64ToHex,
  EMPTY_MERKLE_RANGE,
  GENESIS_CHAIN_HASH,
  merkleAppend,
  merkleLeafHash,
  type MerkleRange,
} from '@minjiang/standards';
import type { Kysely, Selectable } from 'kysely';
import type { AuditCheckpointTable, AuditEntryTable, Database } from '../../db/schema.js';

/** Entries are read in pages of this many: memory stays flat whatever the log's size. */
export const PAGE = 1000;

export type EntryRow = Selectable<AuditEntryTable>;
export type CheckpointRow = Selectable<AuditCheckpointTable>;

/** The log's origin line (exchange.md §8.6). */
export function auditOrigin(hubCode: string): string {
  return `ses.${hubCode}.audit/v1`;
}

/** Committed entries with `after < seq ≤ to`, in seq order, a page at a time. */
export async function* entryPages(
  db: Kysely<Database>,
  after: number,
  to: number,
): AsyncGenerator<EntryRow[]> {
  let last = after;
  while (last < to) {
    const page = await db
      .selectFrom('audit_entries')
      .selectAll()
      .where('seq', '>', last)
      .where('seq', '<=', to)
      .orderBy('seq')
      .limit(PAGE)
      .execute();
    if (page.length === 0) return;
    yield page;
    last = (page[page.length - 1] as EntryRow).seq;
  }
}

/** The committed head: how many entries there are and the last chain hash. */
export async function readHead(db: Kysely<Database>): Promise<{ seq: number; chainHash: string }> {
  const head = await db
    .selectFrom('audit_head')
    .select(['seq', 'chain_hash'])
    .where('id', '=', 1)
    .executeTakeFirst();
  return { seq: head?.seq ?? 0, chainHash: head?.chain_hash ?? '' };
}

/** The checkpoint of the largest size not above `atMost` (any, without a bound). */
export async function checkpointAtOrBelow(
  db: Kysely<Database>,
  atMost?: number,
): Promise<CheckpointRow | undefined> {
  let query = db.selectFrom('audit_checkpoints').selectAll().orderBy('size', 'desc').limit(1);
  if (atMost !== undefined) query = query.where('size', '<=', atMost);
  return query.executeTakeFirst();
}

export function storedRange(row: CheckpointRow | undefined): MerkleRange {
  return row ? { size: row.size, hashes: JSON.parse(row.merkle_range) as string[] } : EMPTY_MERKLE_RANGE;
}

/** Extends a range over the stored leaves up to `to` (no chain check: the verifier does that). */
export async function extendRange(
  db: Kysely<Database>,
  range: MerkleRange,
  to: number,
): Promise<MerkleRange> {
  let extended = range;
  for await (const page of entryPages(db, range.size, to)) {
    for (const row of page) extended = merkleAppend(extended, merkleLeafHash(row.leaf));
  }
  return extended;
}

/** The compact Merkle range after `size` entries, from the nearest checkpoint at or below it. */
export async function rangeAt(db: Kysely<Database>, size: number): Promise<MerkleRange> {
  return extendRange(db, storedRange(await checkpointAtOrBelow(db, size)), size);
}

/** The chain hash after `size` entries (genesis for 0), as stored. */
export async function chainHashAt(db: Kysely<Database>, size: number): Promise<string | undefined> {
  if (size === 0) return GENESIS_CHAIN_HASH;
  const row = await db
    .selectFrom('audit_entries')
    .select('chain_hash')
    .where('seq', '=', size)
    .executeTakeFirst();
  return row?.chain_hash;
}

/** Whether a stored root and range agree (a tampered range would sign a wrong root). */
export function rangeMatches(row: CheckpointRow, range: MerkleRange, root: string): boolean {
  return range.size === row.size && base64ToHex(row.root_hash) === root;
}
