/**
 * The first sheet of an xlsx data file, streamed by exceljs through the catalog reader's
 * streaming code (whole-character decoding, cell limit), after the zip-bomb guard. exceljs pushes
 * rows to a callback; a small bounded queue turns them into an async iterable with backpressure.
 */
import type { CellValue } from '../catalog/formats/cell-values.js';
import { streamCatalogSheet } from '../catalog/formats/xlsx-stream.js';
import { checkXlsxArchive } from '../catalog/formats/xlsx-zip.js';
import type { DataRow, DataRowSource } from './data-rows.js';

/** Rows buffered ahead of the consumer. */
const HIGH_WATER = 1024;

/** Dates without a time as YYYY-MM-DD; exceljs gives wall-clock times as UTC. */
export function cellText(value: CellValue): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19).replace('T', ' ');
  }
  return String(value);
}

/** The header row: the first of the top rows with at least two text cells (title rows have one). */
function pickHeader(cells: CellValue[]): string[] | undefined {
  const texts = cells.filter((cell) => typeof cell === 'string' && cell.trim() !== '');
  return texts.length >= 2 ? cells.map((cell) => cellText(cell).trim()) : undefined;
}

class Cancelled extends Error {}

/** A bounded single-producer, single-consumer queue. */
class RowQueue {
  private items: DataRow[] = [];
  private wake: (() => void) | undefined;
  private done = false;
  private error: Error | undefined;
  cancelled = false;

  async put(item: DataRow): Promise<void> {
    if (this.cancelled) throw new Cancelled();
    this.items.push(item);
    this.signal();
    while (this.items.length >= HIGH_WATER && !this.cancelled)
      await new Promise<void>((r) => (this.wake = r));
  }

  finish(error?: unknown): void {
    this.done = true;
    this.error =
      error === undefined || error instanceof Error
        ? error
        : new Error('xlsx reading failed', { cause: error });
    this.signal();
  }

  signal(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  async *drain(): AsyncGenerator<DataRow> {
    try {
      for (;;) {
        if (this.items.length > 0) {
          const batch = this.items;
          this.items = [];
          this.signal();
          yield* batch;
        } else if (this.done) {
          if (this.error !== undefined) throw this.error;
          return;
        } else await new Promise<void>((r) => (this.wake = r));
      }
    } finally {
      this.cancelled = true;
      this.signal();
    }
  }
}

export async function openXlsxRows(path: string): Promise<DataRowSource> {
  await checkXlsxArchive(path);
  const queue = new RowQueue();
  let headerFound: (header: string[]) => void = () => undefined;
  const header = new Promise<string[]>((resolve) => (headerFound = resolve));
  const reading = streamCatalogSheet(path, pickHeader, async (found) => {
    headerFound(found.match);
    let row = 0;
    for await (const tabular of found.rows) {
      const values = found.match.map((_, index) => cellText(tabular.cells[index]));
      if (values.every((value) => value === '')) continue;
      row += 1;
      await queue.put({ row, line: tabular.row, values });
    }
  });
  const ended = reading.then(
    () => queue.finish(),
    (error: unknown) => queue.finish(queue.cancelled ? undefined : error),
  );
  const first = await Promise.race([header, ended.then(() => undefined)]);
  if (first === undefined) await reading; // no header: rethrows XLSX-NO-HEADER
  const close = (): void => {
    queue.cancelled = true;
    queue.signal();
  };
  return { file: path, format: 'xlsx', header: first ?? [], rows: queue.drain(), close };
}
