import { mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { FileFormatError } from '../../core/errors.js';
import { readCsvRows, writeCsvRows } from './csv-rows.js';

const dir = mkdtempSync(join(tmpdir(), 'minjiang-csv-'));
const catalogs = fileURLToPath(new URL('../../../../../fixtures/catalogs/', import.meta.url));
let counter = 0;

function file(content: string | Buffer, name = `f${(counter += 1)}.csv`): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const gbk = (text: string): Buffer => iconv.encode(text, 'gbk');
const gb18030 = (text: string): Buffer => iconv.encode(text, 'gb18030');
const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');

async function failure(promise: Promise<unknown>): Promise<FileFormatError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(FileFormatError);
  return error as FileFormatError;
}

const CATALOG_CSV =
  '信息资源代码,信息资源名称,数据长度\r\n3350010001/000001,常住人口基本信息,018\r\n,出生日期,8\r\n';

describe('readCsvRows: encodings', () => {
  it('reads UTF-8 without a BOM', async () => {
    const result = await readCsvRows(file(utf8(CATALOG_CSV)));
    expect(result).toMatchObject({ encoding: 'utf-8', delimiter: ',' });
    expect(result.header).toEqual(['信息资源代码', '信息资源名称', '数据长度']);
    expect(result.rows).toEqual([
      { line: 2, cells: ['3350010001/000001', '常住人口基本信息', '018'] },
      { line: 3, cells: ['', '出生日期', '8'] },
    ]);
  });

  it('reads UTF-8 with a BOM and drops the BOM from the first header', async () => {
    const result = await readCsvRows(
      file(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(CATALOG_CSV)])),
    );
    expect(result.encoding).toBe('utf-8');
    expect(result.header[0]).toBe('信息资源代码');
  });

  it('reads GBK, as Excel saves "CSV" on Chinese Windows', async () => {
    const result = await readCsvRows(file(gbk(CATALOG_CSV)));
    expect(result.encoding).toBe('gbk');
    expect(result.rows[0]?.cells[1]).toBe('常住人口基本信息');
  });

  it('reads GB18030 and reports it when a 4-byte character occurs (𠀀, 㐂)', async () => {
    const text = '姓名,备注\r\n王𠀀,扩展B区\r\n陈㐂,扩展A区\r\n';
    expect(gb18030('𠀀')).toHaveLength(4);
    const result = await readCsvRows(file(gb18030(text)));
    expect(result.encoding).toBe('gb18030');
    expect(result.rows.map((row) => row.cells[0])).toEqual(['王𠀀', '陈㐂']);
  });

  it('resolves the GBK/UTF-8 trap: short GBK words that are also valid UTF-8 are read as GBK', async () => {
    // GBK 状态 = D7 B4 CC AC and 学校 = D1 A7 D0 A3 are valid UTF-8 ("״̬", "ѧУ").
    const bytes = gbk('状态\r\n学校\r\n');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).not.toThrow();
    const result = await readCsvRows(file(bytes));
    expect(result).toMatchObject({ encoding: 'gbk', header: ['状态'], rows: [{ line: 2, cells: ['学校'] }] });
  });

  it('keeps a UTF-8 line of Latin letters (Café) in a UTF-8 file, although it is valid GBK too', async () => {
    const result = await readCsvRows(file(utf8('名称,备注\nCafé,咖啡馆\n')));
    expect(result.encoding).toBe('utf-8');
    expect(result.rows[0]?.cells[0]).toBe('Café');
  });

  it('limit: a GBK file whose only non-ASCII text reads as UTF-8 Latin letters is taken as UTF-8', async () => {
    // GBK 茅 = C3 A9 = UTF-8 "é": no heuristic can tell; an explicit encoding settles it.
    const path = file(gbk('name\n茅\n'));
    expect((await readCsvRows(path)).rows[0]?.cells).toEqual(['é']);
    expect((await readCsvRows(path, { encoding: 'GBK' })).rows[0]?.cells).toEqual(['茅']);
  });

  it('refuses a GBK file with a pasted UTF-8 line, naming that line', async () => {
    const bytes = Buffer.concat([
      gbk('名称,说明\r\n企业名称,登记名称\r\n'),
      utf8('法定代表人,来自网页\r\n'),
      gbk('住所,地址\r\n'),
    ]);
    const error = await failure(readCsvRows(file(bytes, 'mixed-gbk.csv')));
    expect(error.code).toBe('CSV-MIXED-ENCODING');
    expect(error.location).toMatch(/mixed-gbk\.csv:3$/);
    expect(error.message).toContain('第 3 行是 UTF-8');
    expect(error.hint).toContain('--encoding');
  });

  it('refuses a UTF-8 file with a GBK line, naming that line', async () => {
    const bytes = Buffer.concat([
      utf8('名称,说明\n企业名称,登记名称\n住所,地址\n'),
      gbk('法定代表人,负责人\n'),
    ]);
    const error = await failure(readCsvRows(file(bytes, 'mixed-utf8.csv')));
    expect(error).toMatchObject({ code: 'CSV-MIXED-ENCODING' });
    expect(error.location).toMatch(/mixed-utf8\.csv:4$/);
  });

  it('refuses a UTF-8 file with a BOM that has a GBK line', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8('名称\n企业\n'), gbk('住所\n')]);
    const error = await failure(readCsvRows(file(bytes, 'bom-mixed.csv')));
    expect(error.code).toBe('CSV-MIXED-ENCODING');
    expect(error.location).toMatch(/bom-mixed\.csv:3$/);
  });

  it('refuses UTF-16 (Excel "Unicode text") with a hint to save as CSV UTF-8', async () => {
    const error = await failure(readCsvRows(file(Buffer.from('\uFEFFa,b\r\n', 'utf16le'))));
    expect(error.code).toBe('CSV-ENCODING-UNSUPPORTED');
  });
});

describe('readCsvRows: explicit encodings', () => {
  it('accepts the usual spellings', async () => {
    const utfPath = file(utf8(CATALOG_CSV));
    const gbkPath = file(gbk(CATALOG_CSV));
    for (const name of ['utf8', 'UTF-8'])
      expect((await readCsvRows(utfPath, { encoding: name })).encoding).toBe('utf-8');
    for (const name of ['GBK', 'cp936', 'GB18030']) {
      const result = await readCsvRows(gbkPath, { encoding: name });
      expect(result.encoding).toBe('gbk');
      expect(result.rows[0]?.cells[1]).toBe('常住人口基本信息');
    }
  });

  it('refuses an unknown encoding name', async () => {
    const error = await failure(readCsvRows(file(utf8(CATALOG_CSV)), { encoding: 'big5' }));
    expect(error.code).toBe('CSV-ENCODING-UNKNOWN');
    expect(error.hint).toContain('gb18030');
  });

  // Decision: a wrong override is an error, never silent mojibake.
  it('refuses --encoding gbk on UTF-8 Chinese text instead of garbling it', async () => {
    const error = await failure(readCsvRows(file(utf8(CATALOG_CSV), 'utf8-as-gbk.csv'), { encoding: 'gbk' }));
    expect(error.code).toBe('CSV-ENCODING-MISMATCH');
    expect(error.location).toMatch(/utf8-as-gbk\.csv:1$/);
  });

  it('refuses --encoding utf-8 on a GBK file, naming the first line that is not UTF-8', async () => {
    const bytes = gbk('code,name\r\n0591,fuzhou\r\n350100,福州\r\n');
    const error = await failure(readCsvRows(file(bytes, 'gbk-as-utf8.csv'), { encoding: 'utf-8' }));
    expect(error.code).toBe('CSV-ENCODING-MISMATCH');
    expect(error.location).toMatch(/gbk-as-utf8\.csv:3$/);
  });
});

describe('readCsvRows: parsing', () => {
  it('handles CRLF, LF, quoted cells with delimiters, quotes and line breaks, and keeps leading zeros', async () => {
    const text =
      'code,name,note\r\n0591,"福州, 鼓楼","他说""可以"""\r\n"007","多行\r\n说明\n第三行",x\n350100,福州,\n';
    const result = await readCsvRows(file(utf8(text)));
    expect(result.rows).toEqual([
      { line: 2, cells: ['0591', '福州, 鼓楼', '他说"可以"'] },
      { line: 3, cells: ['007', '多行\r\n说明\n第三行', 'x'] },
      { line: 6, cells: ['350100', '福州', ''] },
    ]);
  });

  it('skips blank lines, rows of empty cells and trailing empty lines', async () => {
    const result = await readCsvRows(file(utf8('a,b\r\n\r\n1,2\r\n,,\r\n3,4\r\n\r\n\r\n')));
    expect(result.rows).toEqual([
      { line: 3, cells: ['1', '2'] },
      { line: 5, cells: ['3', '4'] },
    ]);
  });

  it('reads a file without a trailing newline and a header-only file', async () => {
    expect((await readCsvRows(file(utf8('a,b\n1,2')))).rows).toEqual([{ line: 2, cells: ['1', '2'] }]);
    expect(await readCsvRows(file(utf8('a,b\r\n')))).toMatchObject({ header: ['a', 'b'], rows: [] });
    expect(await readCsvRows(file(utf8('')))).toMatchObject({ header: [], rows: [] });
  });

  it('detects ; and tab from the header, and keeps , when commas are used', async () => {
    expect(await readCsvRows(file(utf8('a;b;c\n1;2,5;3\n')))).toMatchObject({
      delimiter: ';',
      rows: [{ cells: ['1', '2,5', '3'] }],
    });
    expect((await readCsvRows(file(utf8('a\tb\n1\t2\n')))).delimiter).toBe('\t');
    expect((await readCsvRows(file(utf8('"a;b",c\n1,2\n')))).delimiter).toBe(',');
  });

  it('pads short rows, drops empty cells past the header, refuses extra non-empty cells', async () => {
    const padded = await readCsvRows(file(utf8('a,b,c\n1\n2,3,4,,\n')));
    expect(padded.rows.map((row) => row.cells)).toEqual([
      ['1', '', ''],
      ['2', '3', '4'],
    ]);
    const error = await failure(readCsvRows(file(utf8('a,b\n1,2\n3,4,5\n'), 'columns.csv')));
    expect(error.code).toBe('CSV-COLUMNS');
    expect(error.location).toMatch(/columns\.csv:3:5$/);
    expect(error.message).toContain('第 3 行有 3 列');
  });

  it('names the line where an unclosed quoted cell starts', async () => {
    const error = await failure(readCsvRows(file(utf8('a,b\r\n1,2\r\n3,"四\r\n5,6\r\n'), 'quote.csv')));
    expect(error.code).toBe('CSV-PARSE');
    expect(error.location).toMatch(/quote\.csv:3:3$/);
  });

  it('refuses text right after a closing quote', async () => {
    const error = await failure(readCsvRows(file(utf8('a,b\n"x"y,2\n'), 'after.csv')));
    expect(error).toMatchObject({ code: 'CSV-PARSE' });
    expect(error.location).toMatch(/after\.csv:2:4$/);
  });

  it('refuses a cell longer than the limit, naming line and column', async () => {
    const text = `a,b\n1,2\n3,"${'长'.repeat(5)}\n${'长'.repeat(6)}"\n`;
    const error = await failure(readCsvRows(file(utf8(text), 'long.csv'), { maxCellLength: 10 }));
    expect(error.code).toBe('CELL-TOO-LARGE');
    expect(error.location).toMatch(/long\.csv:3:3$/);
    expect(error.message).toContain('第 2 列（b）');
    expect((await readCsvRows(file(utf8(`a\n${'x'.repeat(32_767)}\n`)))).rows).toHaveLength(1);
  });

  it('refuses a missing file and a file above the size limit', async () => {
    const missing = await failure(readCsvRows(join(dir, 'nope.csv')));
    expect(missing).toMatchObject({ code: 'FILE-NOT-FOUND', location: join(dir, 'nope.csv') });
    expect(missing.hint).toBeTruthy();
    const large = await failure(readCsvRows(file(utf8(CATALOG_CSV)), { maxBytes: 10 }));
    expect(large.code).toBe('FILE-TOO-LARGE');
  });
});

describe('writeCsvRows', () => {
  const rows = [
    ['code', 'name', 'note'],
    ['0591', '福州, 鼓楼', '他说"可以"'],
    ['007', '多行\n说明', ' 前后空格 '],
    ['350100', '', '·—€'],
  ];

  for (const encoding of ['utf-8', 'gbk', 'gb18030'] as const) {
    it(`round-trips through ${encoding}`, async () => {
      const path = join(dir, `round-${encoding}.csv`);
      await writeCsvRows(path, rows, { encoding });
      const result = await readCsvRows(path);
      expect(result.encoding).toBe(encoding === 'gb18030' ? 'gbk' : encoding);
      expect([result.header, ...result.rows.map((row) => row.cells)]).toEqual(rows);
      expect(result.rows.map((row) => row.line)).toEqual([2, 3, 5]);
    });
  }

  it('round-trips 4-byte characters through GB18030 and reports gb18030', async () => {
    const path = join(dir, 'round-rare.csv');
    await writeCsvRows(path, [['姓名'], ['王𠀀']], { encoding: 'gb18030' });
    expect(await readCsvRows(path)).toMatchObject({ encoding: 'gb18030', rows: [{ cells: ['王𠀀'] }] });
  });

  it('writes what Excel writes: BOM for UTF-8, CRLF, quotes only where needed', async () => {
    const path = join(dir, 'excel.csv');
    await writeCsvRows(path, rows, { encoding: 'utf-8' });
    const bytes = readFileSync(path);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8')).toBe(
      'code,name,note\r\n0591,"福州, 鼓楼","他说""可以"""\r\n007,"多行\n说明"," 前后空格 "\r\n350100,,·—€\r\n',
    );
    await writeCsvRows(path, [['a', 'b;c']], { encoding: 'utf-8', bom: false, delimiter: ';' });
    expect(readFileSync(path, 'utf8')).toBe('a;"b;c"\r\n');
  });

  it('refuses a character GBK cannot encode, naming row and column, and writes nothing', async () => {
    const path = join(dir, 'unencodable.csv');
    const error = await failure(
      writeCsvRows(
        path,
        [
          ['姓名', '备注'],
          ['王𠀀', ''],
        ],
        { encoding: 'gbk' },
      ),
    );
    expect(error.code).toBe('CSV-UNENCODABLE');
    expect(error.message).toContain('第 2 行第 1 列');
    expect(error.message).toContain('𠀀');
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('replaces an existing file atomically, leaving no temporary file', async () => {
    const path = file(utf8('old\n'), 'replace.csv');
    await writeCsvRows(path, [['new']], { encoding: 'gbk' });
    expect(readFileSync(path, 'latin1')).toBe('new\r\n');
    expect(readdirSync(dir).filter((name) => name.includes('replace.csv'))).toEqual(['replace.csv']);
  });
});

describe('the GBK fixture catalog', () => {
  // Header → field path, as in scripts/csv-fixture.js.
  const PATHS: Record<string, string> = {
    信息资源代码: 'code',
    信息资源名称: 'name',
    资源属性分类: 'resourceClass',
    所属主题: 'subject',
    提供方名称: 'provider.name',
    提供方统一社会信用代码: 'provider.uscc',
    提供方行政区划代码: 'provider.regionCode',
    信息资源摘要: 'summary',
    信息资源格式分类: 'format.category',
    信息资源格式类型: 'format.type',
    共享类型: 'sharing.type',
    共享条件: 'sharing.condition',
    共享方式分类: 'sharing.methodCategory',
    共享方式类型: 'sharing.methodTypes',
    开放类型: 'opening.type',
    更新周期: 'updateCycle',
    发布日期: 'publishedAt',
    数据分级: 'grading.level',
  };
  const ITEM_PATHS: Record<string, string> = {
    信息项名称: 'name',
    信息项技术名称: 'technicalName',
    数据类型: 'dataType',
    数据长度: 'length',
    是否主键: 'isKey',
    是否必填: 'required',
  };

  function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
    const keys = path.split('.');
    const last = keys.pop() ?? '';
    let object = target;
    for (const key of keys) object = (object[key] ??= {}) as Record<string, unknown>;
    object[last] = value;
  }

  function itemValue(path: string, cell: string): unknown {
    if (path === 'length') return Number(cell);
    if (path === 'isKey' || path === 'required') return cell === '是';
    return cell;
  }

  it('is GBK with CRLF and reads back to department-gbk.expected.json', async () => {
    const path = join(catalogs, 'department-gbk.csv');
    expect(readFileSync(path).includes('\r\n')).toBe(true);
    const { encoding, header, rows } = await readCsvRows(path);
    expect(encoding).toBe('gbk');
    const resources: Record<string, unknown>[] = [];
    for (const { cells } of rows) {
      if (cells[0]) resources.push({ items: [] });
      const resource = resources.at(-1) ?? {};
      const item: Record<string, unknown> = {};
      header.forEach((title, index) => {
        const cell = cells[index] ?? '';
        if (cell === '') return;
        const itemPath = ITEM_PATHS[title];
        if (itemPath) item[itemPath] = itemValue(itemPath, cell);
        else setPath(resource, PATHS[title] ?? title, title === '共享方式类型' ? cell.split('、') : cell);
      });
      (resource.items as unknown[]).push(item);
    }
    const expected = JSON.parse(readFileSync(join(catalogs, 'department-gbk.expected.json'), 'utf8')) as {
      resources: unknown[];
    };
    expect(resources).toEqual(expected.resources);
  });
});
