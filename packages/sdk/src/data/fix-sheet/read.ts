/**
 * Reading a filled fix sheet (`feedback submit`): the 更正值 cells, grouped by ticket and problem
 * into the corrections the hub takes. Takes the suggested fix where 更正值 is empty when asked
 * (`acceptSuggestions`), never a masked one. Refuses a file that is not a fix sheet, and a
 * correction for a problem not in the ticket, with a stable code and the cell.
 */
import { basename } from 'node:path';
import { MinjiangError } from '../../core/errors.js';
import type { Correction } from '../../client/data-types.js';
import { readDataRows, type DataRow, type DataRowSource } from '../data-rows.js';
import { columnLetter, restoreCell } from './cells.js';
import { FIX_COLUMNS, FIX_SHEET_NAME, FIXED_HEADER } from './columns.js';

/**
 * A fix sheet that cannot be taken: `FIXSHEET-NOT-A-FIX-SHEET`, `FIXSHEET-NO-PROBLEM` (a value
 * without a problem id), `FIXSHEET-UNKNOWN-PROBLEM`, `FIXSHEET-NO-ITEM` (a value on a line that
 * names no item), `FIXSHEET-CONFLICT` (two values for one item of one problem).
 */
export class FixSheetError extends MinjiangError {}

export interface ReadFixSheetOptions {
  /** Where 更正值 is empty, take 建议修正 (unless it is masked). */
  acceptSuggestions?: boolean;
  /** The problem ids of each ticket the sheet may correct; others are refused. */
  knownProblems?: (
    ticket: string,
  ) => ReadonlySet<string> | undefined | Promise<ReadonlySet<string> | undefined>;
  /** CSV encoding; detected when absent (Excel may save it back as GBK). */
  encoding?: string;
}

export interface FixSheetCorrections {
  ticket: string;
  corrections: Correction[];
}

export interface FixSheetReading {
  file: string;
  tickets: FixSheetCorrections[];
  /** Lines whose correction came from 建议修正. */
  suggested: number;
  /** Suggestions left out because they are masked (a sensitive item): fill 更正值 for them. */
  maskedSuggestions: { problem: string; item: string; location: string }[];
}

const COLUMN = Object.fromEntries(FIXED_HEADER.map((title, index) => [title, index])) as Record<
  (typeof FIX_COLUMNS)[keyof typeof FIX_COLUMNS],
  number
>;

/** A suggestion masked by the hub (`3501**********1234`, `张*`) is not a value to send. */
function isMasked(value: string): boolean {
  return /\*/.test(value);
}

class Locator {
  constructor(
    private readonly source: DataRowSource,
    private readonly name: string,
  ) {}

  /** The sheet cell of a line's column: `fix.xlsx 问题数据!I5`, `fix.csv!I5`. */
  cell(row: DataRow, column: number): string {
    const sheetRow = row.line ?? row.row + 1;
    const sheet = this.source.format === 'xlsx' ? ` ${FIX_SHEET_NAME}!` : '!';
    return `${this.name}${sheet}${columnLetter(column)}${sheetRow}`;
  }
}

function checkHeader(source: DataRowSource, file: string): void {
  const found = source.header.slice(0, FIXED_HEADER.length);
  if (found.join('\u0000') === FIXED_HEADER.join('\u0000')) return;
  throw new FixSheetError(
    'FIXSHEET-NOT-A-FIX-SHEET',
    `${file} 不是问题数据更正表：表头应以 ${FIXED_HEADER.join('、')} 开头`,
    {
      location: `${basename(file)}!A1`,
      hint: '用 `minjiang feedback pull <工单>` 生成更正表，只在“更正值”列填写，不要改动表头和其他列。',
    },
  );
}

interface Accumulator {
  byTicket: Map<string, Map<string, Correction>>;
  known: Map<string, ReadonlySet<string> | undefined>;
}

async function knownOf(acc: Accumulator, ticket: string, options: ReadFixSheetOptions) {
  if (!options.knownProblems) return undefined;
  if (!acc.known.has(ticket)) acc.known.set(ticket, await options.knownProblems(ticket));
  return acc.known.get(ticket);
}

/**
 * Reads the corrections of a filled fix sheet (xlsx or CSV), grouped by ticket, then problem:
 * `{ problem, values: { item: value } }` in sheet order. Values are restored exactly as
 * `writeFixSheet` protected them.
 */
export async function readFixSheet(
  path: string,
  options: ReadFixSheetOptions = {},
): Promise<FixSheetReading> {
  const source = await readDataRows(path, options.encoding ? { encoding: options.encoding } : {});
  const reading: FixSheetReading = { file: path, tickets: [], suggested: 0, maskedSuggestions: [] };
  const acc: Accumulator = { byTicket: new Map(), known: new Map() };
  const at = new Locator(source, basename(path));
  try {
    checkHeader(source, path);
    for await (const row of source.rows) {
      const cell = (column: number) => restoreCell(row.values[column] ?? '');
      let value = cell(COLUMN[FIX_COLUMNS.correction]);
      let column = COLUMN[FIX_COLUMNS.correction];
      const problem = cell(COLUMN[FIX_COLUMNS.problem]).trim();
      const item = cell(COLUMN[FIX_COLUMNS.item]).trim();
      if (value === '' && options.acceptSuggestions) {
        const suggestion = cell(COLUMN[FIX_COLUMNS.suggestion]);
        column = COLUMN[FIX_COLUMNS.suggestion];
        if (suggestion !== '' && isMasked(suggestion)) {
          reading.maskedSuggestions.push({ problem, item, location: at.cell(row, column) });
          continue;
        }
        value = suggestion;
        if (value !== '') reading.suggested += 1;
      }
      if (value === '') continue;
      const ticket = cell(COLUMN[FIX_COLUMNS.ticket]).trim();
      if (problem === '' || ticket === '') {
        throw new FixSheetError('FIXSHEET-NO-PROBLEM', '该行填写了更正值，但没有工单编号或问题编号', {
          location: at.cell(row, problem === '' ? COLUMN[FIX_COLUMNS.problem] : COLUMN[FIX_COLUMNS.ticket]),
          hint: '不要删除或改动“工单编号”“问题编号”列；新增的行无法提交。',
        });
      }
      if (item === '') {
        throw new FixSheetError(
          'FIXSHEET-NO-ITEM',
          `问题 ${problem} 的这一行没有对应的信息项，无法填写更正值`,
          {
            location: at.cell(row, column),
            hint: '在该问题涉及具体信息项的那一行填写更正值。',
          },
        );
      }
      const known = await knownOf(acc, ticket, options);
      if (known && !known.has(problem)) {
        throw new FixSheetError('FIXSHEET-UNKNOWN-PROBLEM', `工单 ${ticket} 中没有待更正的问题 ${problem}`, {
          location: at.cell(row, COLUMN[FIX_COLUMNS.problem]),
          hint: '该问题可能已更正或已关闭，或更正表来自其他工单；用 `minjiang feedback pull` 重新生成更正表。',
        });
      }
      const corrections = acc.byTicket.get(ticket) ?? new Map<string, Correction>();
      acc.byTicket.set(ticket, corrections);
      const correction = corrections.get(problem) ?? { problem, values: {} };
      corrections.set(problem, correction);
      const before = correction.values[item];
      if (before !== undefined && before !== value) {
        throw new FixSheetError(
          'FIXSHEET-CONFLICT',
          `问题 ${problem} 的信息项“${item}”有两个不同的更正值：“${before}”和“${value}”`,
          {
            location: at.cell(row, column),
            hint: '同一问题的同一信息项只能填写一个更正值。',
          },
        );
      }
      correction.values[item] = value;
    }
  } finally {
    source.close();
  }
  for (const [ticket, corrections] of acc.byTicket)
    reading.tickets.push({ ticket, corrections: [...corrections.values()] });
  return reading;
}
