import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { CsvStreamParser } from './csv-stream.js';
import { readDataRows, type DataRow } from './data-rows.js';

const SAMPLE = 'a,b,c\r\n"x, y","say ""hi""",\r\n"multi\nline\r\ncell",2,3\n\nlast,"",z';

function parseIn(pieces: string[]) {
  const parser = new CsvStreamParser(',', 'f.csv');
  const records = pieces.flatMap((piece) => parser.push(piece));
  return [...records, ...parser.push('', true)];
}

describe('CsvStreamParser', () => {
  it('parses quoted cells, doubled quotes, CRLF and line breaks inside cells', () => {
    expect(parseIn([SAMPLE])).toEqual([
      { line: 1, cells: ['a', 'b', 'c'] },
      { line: 2, cells: ['x, y', 'say "hi"', ''] },
      { line: 3, cells: ['multi\nline\r\ncell', '2', '3'] },
      { line: 6, cells: [''] },
      { line: 7, cells: ['last', '', 'z'] },
    ]);
  });

  it('gives the same records whatever the chunk boundaries', () => {
    const whole = parseIn([SAMPLE]);
    for (let size = 1; size <= 7; size += 1) {
      const pieces = SAMPLE.match(new RegExp(`[^]{1,${size}}`, 'gu')) ?? [];
      expect(parseIn(pieces)).toEqual(whole);
    }
  });

  it('refuses an unclosed quote with the line it opened on', () => {
    const parser = new CsvStreamParser(',', 'f.csv');
    parser.push('a,b\n1,"open\nmore\n');
    expect(() => parser.push('', true)).toThrow(
      expect.objectContaining({ code: 'CSV-PARSE', location: 'f.csv:2' }),
    );
  });

  it('refuses text after a closing quote', () => {
    expect(() => parseIn(['a,"b"c\n'])).toThrow(
      expect.objectContaining({ code: 'CSV-PARSE', location: 'f.csv:1' }),
    );
  });

  it('refuses a cell over 32,767 characters before reading the rest of the file', () => {
    const parser = new CsvStreamParser(',', 'f.csv');
    parser.push('a\n');
    expect(() => parser.push(`"${'x'.repeat(40_000)}`)).toThrow(
      expect.objectContaining({ code: 'CELL-TOO-LARGE' }),
    );
    expect(() => parseIn(['a\n', 'y'.repeat(32_768), '\n'])).toThrow(
      expect.objectContaining({ code: 'CELL-TOO-LARGE' }),
    );
  });
});

async function collect(rows: AsyncIterable<DataRow>): Promise<DataRow[]> {
  const all: DataRow[] = [];
  for await (const row of rows) all.push(row);
  return all;
}

function file(name: string, content: string | Buffer): string {
  const path = join(mkdtempSync(join(tmpdir(), 'minjiang-csv-')), name);
  writeFileSync(path, content);
  return path;
}

describe('readDataRows for CSV', () => {
  it('detects GBK, a BOM and semicolons, and skips blank rows', async () => {
    const gbk = await readDataRows(
      file('gbk.csv', iconv.encode('姓名,地址\r\n张三,福州\r\n,\r\n李四,厦门\r\n', 'gbk')),
    );
    expect(gbk).toMatchObject({ encoding: 'gbk', header: ['姓名', '地址'] });
    expect(await collect(gbk.rows)).toEqual([
      { row: 1, line: 2, values: ['张三', '福州'] },
      { row: 2, line: 4, values: ['李四', '厦门'] },
    ]);
    const bom = await readDataRows(file('bom.csv', '\uFEFF编号;名称\n1;一\n'));
    expect(bom).toMatchObject({ encoding: 'utf-8', header: ['编号', '名称'] });
    expect((await collect(bom.rows))[0]?.values).toEqual(['1', '一']);
  });

  it('streams a file of many chunks with characters cut between them', async () => {
    const line = '公民身份号码测试,"含,逗号",值\n';
    const count = 100_000;
    const source = await readDataRows(file('big.csv', `甲,乙,丙\n${line.repeat(count)}`));
    let rows = 0;
    for await (const row of source.rows) {
      if (row.values[1] !== '含,逗号') throw new Error(`row ${row.row}: ${row.values.join('|')}`);
      rows += 1;
    }
    expect(rows).toBe(count);
  });

  it('refuses ragged rows but tolerates trailing empty cells', async () => {
    const ok = await readDataRows(file('ok.csv', 'a,b\n1,2,,\n'));
    expect((await collect(ok.rows))[0]?.values).toEqual(['1', '2']);
    const short = await readDataRows(file('short.csv', 'a,b,c\n1,2,3\n4,5\n'));
    const error: unknown = await collect(short.rows).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'CSV-COLUMNS' });
    expect((error as { location: string }).location).toMatch(/:3$/u);
    const long = await readDataRows(file('long.csv', 'a,b\n1,2,3\n'));
    await expect(collect(long.rows)).rejects.toMatchObject({ code: 'CSV-COLUMNS' });
  });

  it('refuses GBK bytes in a UTF-8 file past the detection sample', async () => {
    const head = Buffer.from(`名称,值\n${'中文,1\n'.repeat(300_000)}`);
    const path = file('mixed.csv', Buffer.concat([head, iconv.encode('中文,2\n', 'gbk')]));
    const source = await readDataRows(path);
    await expect(collect(source.rows)).rejects.toMatchObject({ code: 'CSV-ENCODING-INVALID' });
  });
});
