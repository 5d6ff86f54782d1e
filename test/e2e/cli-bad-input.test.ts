import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, runCli } from './cli-harness.js';

const work = mkdtempSync(join(tmpdir(), 'minjiang-cli-bad-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const path = join(work, name);
  writeFileSync(path, content);
  return path;
}

/** A zip with one deflated entry, its sizes declared truthfully: here 200 MiB of zeros in ~200 KiB. */
function zipOf(name: string, data: Buffer): Buffer {
  const packed = deflateRawSync(data, { level: 9 });
  const nameBytes = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(0, 14); // CRC left 0: the size check must refuse before any CRC is read
  local.writeUInt32LE(packed.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(packed.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  const end = Buffer.alloc(22);
  const centralOffset = local.length + nameBytes.length + packed.length;
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + nameBytes.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return Buffer.concat([local, nameBytes, packed, central, nameBytes, end]);
}

/** One clear error: exit code, the code in `[…]`, no stack trace unless --debug. */
async function expectOneError(args: string[], code: string, exitCode = 1): Promise<void> {
  const run = await runCli(args);
  expect(run.status).toBe(exitCode);
  expect(run.stderr).toContain(`[${code}]`);
  expect(run.stderr).not.toMatch(/^\s+at /m);
  expect(run.stderr.split('\n').filter((line) => line.includes('[')).length).toBe(1);
  const debug = await runCli([...args, '--debug']);
  expect(debug.stderr).toMatch(/^\s+at /m);
}

describe('bad input gives one clear error with a code and a location', () => {
  it('a truncated xlsx', async () => {
    const whole = readFileSync(join(FIXTURES, 'fujian-province.xlsx'));
    const path = file('truncated.xlsx', whole.subarray(0, Math.floor(whole.length / 2)));
    await expectOneError(['catalog', 'validate', path], 'XLSX-CORRUPT');
  });

  it('an xlsx that is a zip bomb', async () => {
    const path = file('bomb.xlsx', zipOf('xl/worksheets/sheet1.xml', Buffer.alloc(300 * 1024 * 1024)));
    await expectOneError(['catalog', 'validate', path], 'XLSX-ZIP-BOMB');
  });

  it('a CSV with unbalanced quotes names the line', async () => {
    const path = file('quotes.csv', 'code,name\n"3350050101/000002,企业登记\n3350050101/000003,个体\n');
    const run = await runCli(['catalog', 'validate', path]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/\[CSV-PARSE\]/);
    expect(run.stderr).toMatch(/quotes\.csv:2/);
  });

  it('a CSV mixing GBK and UTF-8 lines', async () => {
    const gbk = iconv.encode('code,name\n3350050101/000002,福州市企业登记基本信息\n', 'gbk');
    const utf8 = Buffer.from('3350050101/000003,福州市个体工商户登记信息\n', 'utf8');
    await expectOneError(
      ['catalog', 'validate', file('mixed.csv', Buffer.concat([gbk, utf8]))],
      'CSV-MIXED-ENCODING',
    );
  });

  it('a YAML anchors bomb', async () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let n = 1; n < 10; n += 1) {
      const prev = String.fromCharCode(96 + n);
      lines.push(
        `${String.fromCharCode(97 + n)}: &${String.fromCharCode(97 + n)} [${Array(9).fill(`*${prev}`).join(',')}]`,
      );
    }
    lines.push('resources: *j');
    await expectOneError(['catalog', 'validate', file('bomb.yaml', lines.join('\n'))], 'YAML-ALIAS');
  });

  it('a 10 MB cell', async () => {
    const path = file(
      'big-cell.csv',
      `code,name,summary\n3350050101/000002,企业,${'摘'.repeat((10 * 1024 * 1024) / 3)}\n`,
    );
    await expectOneError(['catalog', 'validate', path], 'CELL-TOO-LARGE');
  });

  it('fix on a corrupt file writes nothing', async () => {
    const whole = readFileSync(join(FIXTURES, 'department-excel.xlsx'));
    const path = file('corrupt-fix.xlsx', whole.subarray(0, whole.length - 100));
    const before = readFileSync(path);
    expect((await runCli(['catalog', 'fix', path])).status).toBe(1);
    expect(readFileSync(path)).toEqual(before);
  });

  it('pull to an existing file leaves it whole when the hub cannot be reached', async () => {
    const path = join(work, 'kept.yaml');
    copyFileSync(join(FIXTURES, 'department-draft.yaml'), path);
    const run = await runCli(['catalog', 'pull', '--out', path], {
      env: { MINJIANG_HUB: 'http://127.0.0.1:9', MINJIANG_TOKEN: `mj_0000000000000000_${'A'.repeat(43)}` },
    });
    expect(run.status).toBe(6);
    expect(readFileSync(path, 'utf8')).toBe(readFileSync(join(FIXTURES, 'department-draft.yaml'), 'utf8'));
  });

  it('an option value outside its choices is a usage error (exit 2), like an unknown flag', async () => {
    const catalog = join(FIXTURES, 'department-draft.yaml');
    expect((await runCli(['catalog', 'validate', catalog, '--format', 'xyz'])).status).toBe(2);
    expect((await runCli(['catalog', 'validate', catalog, '--no-such-flag'])).status).toBe(2);
  });

  describe('data files', () => {
    const catalog = join(FIXTURES, 'fujian-province.yaml');
    const data = (path: string, ...extra: string[]) => [
      'data',
      'validate',
      path,
      '--resource',
      '3350010001/000001',
      '--catalog',
      catalog,
      ...extra,
    ];
    const gbkFile = join(FIXTURES, '../data/household-population.gbk.csv');

    it('a GBK file declared UTF-8 is refused at the first undecodable line, not read as garbage', async () => {
      await expectOneError(data(gbkFile, '--encoding', 'utf-8'), 'CSV-ENCODING-INVALID');
    });

    it('ragged rows name their line', async () => {
      const header = '公民身份号码,姓名,出生日期,户籍地行政区划,更新时间';
      const path = file('ragged.csv', `${header}\n350102198001011011,张三,1\n`);
      await expectOneError(data(path), 'CSV-COLUMNS');
    });

    it('a 10 MB cell', async () => {
      const header = '公民身份号码,姓名,出生日期,户籍地行政区划,更新时间';
      const big = '名'.repeat(3_500_000);
      const path = file(
        'data-big-cell.csv',
        `${header}\n350102198001011011,${big},1980-01-01,350102,2026-01-01 08:00:00\n`,
      );
      await expectOneError(data(path), 'CELL-TOO-LARGE');
    });

    it('an xlsx zip bomb', async () => {
      const path = file('data-bomb.xlsx', zipOf('xl/worksheets/sheet1.xml', Buffer.alloc(300 * 1024 * 1024)));
      await expectOneError(data(path), 'XLSX-ZIP-BOMB');
    });
  });
});
