/**
 * What a signed call needs from the database, in one read: the active credential of its `keyid`,
 * the grant it claims and — for a point lookup whose grant's terms are already known — the row
 * it asks for. The row is read before the signature and the grant are checked, and released only
 * after they pass (calls.ts).
 *
 * On PostgreSQL the reads of the calls that arrive together are sent as one statement: each
 * statement costs the hub a socket write and a reply to parse, which were half of a lookup's
 * CPU when every call made two. SQLite reads in process, one call at a time.
 */
import type { HotQuery } from '../../db/database.js';
import type { HubContext } from '../../plugins/store.js';
import type { GrantRow } from './grant-context.js';

/** The row a point lookup will want, named before its grant is checked. */
export interface RowProbe {
  resource: string;
  key: string;
}

/** A probe and what it found: the row's stored text, or null when there is no such row. */
export interface ProbedRow {
  probe: RowProbe;
  row: string | null;
}

/** The credential's row joined with the claimed grant (its columns null when there is none). */
export type CallContextRow = { [column in keyof GrantRow]: GrantRow[column] | null } & {
  key_grant: string;
  secret_enc: string;
  /** The probed row's stored text; null when it does not exist or nothing was probed. */
  probe_row: string | null;
};

export interface CallRead {
  keyid: string;
  claimedGrant: string;
  probe?: RowProbe | undefined;
}

/** The grant's columns a call reads: all but `envelope` (grant-context.ts). */
const GRANT_COLUMNS = [
  'id',
  'application_id',
  'assigner_org',
  'assignee_org',
  'resource_code',
  'resource_version',
  'mode',
  'items',
  'purpose_code',
  'masking',
  'row_filter',
  'per_day',
  'per_second',
  'valid_from',
  'valid_to',
  'status',
  'issued_at',
  'updated_at',
] as const satisfies readonly (keyof GrantRow)[];
// Compile-time: a column added to grants is either listed above or left out here on purpose.
type Unlisted = Exclude<keyof GrantRow, (typeof GRANT_COLUMNS)[number]>;
const everyColumnListed: [Unlisted] extends [never] ? true : never = true;
void everyColumnListed;
const COLUMNS = `${GRANT_COLUMNS.map((column) => `g.${column}`).join(', ')}, c.grant_id as key_grant, c.secret_enc, r.row as probe_row`;

const ONE: HotQuery = {
  name: 'ses_call_context',
  text:
    `select ${COLUMNS} from grant_credentials c ` +
    'left join grants g on g.id = ? ' +
    'left join data_rows r on r.resource_code = ? and r.row_key = ? ' +
    "where c.app_key = ? and c.status = 'active'",
};

/** PostgreSQL: the reads of up to MAX_BATCH calls, matched back by their position. */
const MANY: HotQuery = {
  name: 'ses_call_contexts',
  text:
    `select q.i, ${COLUMNS} from grant_credentials c ` +
    'join unnest(?::text[], ?::text[], ?::text[], ?::text[]) with ordinality ' +
    'as q(app_key, grant_id, resource_code, row_key, i) ' +
    "on c.app_key = q.app_key and c.status = 'active' " +
    'left join grants g on g.id = q.grant_id ' +
    'left join data_rows r on r.resource_code = q.resource_code and r.row_key = q.row_key',
};
const MAX_BATCH = 200;

interface Waiting {
  read: CallRead;
  resolve: (row: CallContextRow | undefined) => void;
  reject: (error: unknown) => void;
}

/** The calls waiting for a statement; one statement is in flight at a time, so they gather. */
type Queue = { waiting: Waiting[]; reading: boolean };
const queues = new WeakMap<HubContext, Queue>();

/** The call's credential, claimed grant and probed row; undefined when the key is not active. */
export function readCallContext(hub: HubContext, read: CallRead): Promise<CallContextRow | undefined> {
  if (hub.store.engine !== 'postgres') {
    const { keyid, claimedGrant, probe } = read;
    return hub.store.readOne(ONE, [claimedGrant, probe?.resource ?? null, probe?.key ?? null, keyid]);
  }
  return new Promise((resolve, reject) => {
    let queue = queues.get(hub);
    if (!queue) queues.set(hub, (queue = { waiting: [], reading: false }));
    queue.waiting.push({ read, resolve, reject });
    if (queue.reading) return;
    // Sent after the event loop's I/O phase: the calls parsed in this phase join the statement.
    queue.reading = true;
    setImmediate(() => void drain(hub, queue));
  });
}

async function drain(hub: HubContext, queue: Queue): Promise<void> {
  try {
    while (queue.waiting.length > 0) await readBatch(hub, queue.waiting.splice(0, MAX_BATCH));
  } finally {
    queue.reading = false;
  }
}

async function readBatch(hub: HubContext, batch: Waiting[]): Promise<void> {
  const reads = batch.map(({ read }) => read);
  let rows: (CallContextRow & { i?: string })[];
  try {
    rows = await hub.store.readAll(MANY, [
      reads.map((read) => read.keyid),
      reads.map((read) => read.claimedGrant),
      reads.map((read) => read.probe?.resource ?? null),
      reads.map((read) => read.probe?.key ?? null),
    ]);
  } catch (error) {
    for (const waiting of batch) waiting.reject(error);
    return;
  }
  const byPosition = new Map<number, CallContextRow>();
  for (const row of rows) {
    byPosition.set(Number(row.i), row);
    delete row.i;
  }
  batch.forEach((waiting, index) => waiting.resolve(byPosition.get(index + 1)));
}
