/**
 * Shared setup of the governance tests: a hub on a fixed clock with the 2025 calendar, a
 * published household-population resource owned by GAT, and tickets filed through openTicket.
 */
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { sm3Hex, type DataFinding } from '@minjiang/standards';
import { catalogEntry, putEntry, resourceCode, transition } from './catalog.js';
import { buildTestHub, department, type TestHub } from './hub.js';
import type { HubConfig } from '../src/config.js';
import type { Engine } from '../src/db/database.js';
import { storedRow, storeRows } from '../src/modules/aggregation/row-store.js';
import { openTicket, type NewProblem } from '../src/modules/governance/problems.js';

export const CALENDAR = fileURLToPath(new URL('../calendars/cn-2025.json', import.meta.url));
/** Friday 26 September 2025, 10:00 in China: the deadline crosses the National Day week. */
export const NOW = new Date('2025-09-26T02:00:00Z');
export const DEADLINE = '2025-10-10T15:59:59.999Z';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** A resident ID number with its GB 11643 check character. */
export function residentId(first17: string): string {
  const sum = [...first17].reduce((acc, digit, index) => acc + Number(digit) * (WEIGHTS[index] as number), 0);
  return first17 + ('10X98765432'[sum % 11] as string);
}

/** A valid row of the fixture resource: a woman born on 1990-05-0n. */
export function goodRow(n: number): Record<string, string> {
  const id = residentId(`3501021990050${n}${String(n).padStart(2, '0')}2`.slice(0, 17));
  return { 公民身份号码: id, 姓名: `张${n}`, 性别: '2', 出生日期: `1990-05-0${n}` };
}

export function finding(item: string, code: string, value: string, message: string): DataFinding {
  return { code, severity: 'error', row: 1, column: item, item, value, message };
}

export type GovernanceHub = TestHub & { code: string; setNow(now: Date): void };

export async function governanceHub(
  engine: Engine,
  overrides: Partial<HubConfig> = {},
): Promise<GovernanceHub> {
  let clock = NOW;
  const hub = await buildTestHub(engine, { holidayCalendar: CALENDAR, ...overrides }, () => clock);
  const code = resourceCode(1);
  await putEntry(hub, hub.tokens.officer, catalogEntry(1));
  await transition(hub, hub.tokens.officer, code, 'submit');
  const approved = await transition(hub, hub.tokens.admin, code, 'approve');
  if (approved.statusCode !== 200) throw new Error(`approve: ${approved.body}`);
  return Object.assign(hub, { code, setNow: (now: Date) => void (clock = now) });
}

/** Files a submission ticket for GAT's resource with the given problems; returns its id. */
export async function fileTicket(hub: GovernanceHub, problems: NewProblem[]): Promise<string> {
  const gat = department('GAT').id;
  return hub.app.hub.store.db.transaction().execute(async (trx) => {
    const writer = await openTicket(trx, hub.app.hub, {
      resource: hub.code,
      orgId: gat,
      submissionId: 'S-test',
      kind: 'submission',
      now: hub.app.hub.now(),
      actor: { tokenId: 'test', orgId: gat },
    });
    await writer.add(problems);
    await writer.finish();
    return writer.id;
  });
}

/** Stores rows as a commit would. */
export async function storeGood(hub: GovernanceHub, rows: Record<string, string>[]): Promise<void> {
  const { db, engine } = hub.app.hub.store;
  await db.transaction().execute((trx) =>
    storeRows(
      trx,
      engine,
      hub.code,
      'S-test',
      rows.map((row) => storedRow([row['公民身份号码'] as string], row)),
      NOW.toISOString(),
    ),
  );
}

/** The columns of `person` rows (户籍地址, optional, is left out). */
export const HEADER = ['公民身份号码', '姓名', '性别', '民族', '出生日期', '户籍地行政区划', '更新时间'];

/** A valid person row (HEADER order): born 1980-01-01 + n days in Gulou, male when n is even. */
export function person(n: number, name = `测试${n}`): string[] {
  const birth = new Date(Date.UTC(1980, 0, 1 + n)).toISOString().slice(0, 10);
  const id = residentId(`350102${birth.replaceAll('-', '')}${String(10 + (n % 90))}${n % 2 === 0 ? 1 : 2}`);
  return [id, name, n % 2 === 0 ? '1' : '2', '01', birth, '350102', '2025-09-01 08:00:00'];
}

/** Creates, uploads (one chunk) and commits a submission of GAT's resource; returns the CommitResult. */
export async function submitRows(hub: GovernanceHub, rows: string[][], mode = 'incremental') {
  const created = await hub.call(hub.tokens.officer, {
    method: 'POST',
    url: '/api/v1/submissions',
    payload: { resource: hub.code, header: HEADER, mode },
  });
  if (created.statusCode !== 201) throw new Error(`create: ${created.body}`);
  const { id } = created.json() as { id: string };
  const body = gzipSync(Buffer.from(rows.map((values, i) => JSON.stringify([i + 1, ...values])).join('\n')));
  const uploaded = await hub.call(hub.tokens.officer, {
    method: 'PUT',
    url: `/api/v1/submissions/${id}/chunks/1`,
    payload: body,
    headers: {
      'content-type': 'application/vnd.minjiang.rows+gzip',
      'x-minjiang-sm3': sm3Hex(body),
      'x-minjiang-rows': String(rows.length),
    },
  });
  if (uploaded.statusCode !== 201) throw new Error(`upload: ${uploaded.body}`);
  const committed = await hub.call(hub.tokens.officer, {
    method: 'POST',
    url: `/api/v1/submissions/${id}/commit`,
    payload: { chunks: 1 },
  });
  if (committed.statusCode !== 200) throw new Error(`commit: ${committed.body}`);
  return committed.json() as { submission: string; accepted: number; rejected: number; ticket?: string };
}
