// Hand-run benchmark of the data-file engine (not a test). Build first (pnpm exec tsc -b), then
// from packages/sdk:
//   node ../../bench/data-validate-by-hand.js generate [rows]   writes $TMPDIR/minjiang-bench.csv (20 columns)
//   node ../../bench/data-validate-by-hand.js parse | csv-parse | validate
// Each mode prints rows/s and the peak RSS of its own process.
import { createReadStream, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { residentIdCheckDigit, usccCheckChar, orgCodeCheckChar } from '@minjiang/standards';

const require = createRequire(join(process.cwd(), 'package.json'));
const dist = new URL('../packages/sdk/dist/data/', import.meta.url);
const path = join(tmpdir(), 'minjiang-bench.csv');

const items = [
  {
    name: '公民身份号码',
    technicalName: 'GMSFHM',
    dataType: 'C',
    length: 18,
    isKey: true,
    required: true,
    sensitive: true,
    check: 'residentId',
  },
  { name: '姓名', technicalName: 'XM', dataType: 'C', length: 50, required: true, sensitive: true },
  { name: '性别', technicalName: 'XB', dataType: 'C', length: 1, codeTable: 'gbt2261-1-gender' },
  { name: '民族', technicalName: 'MZ', dataType: 'C', length: 2, codeTable: 'gbt3304-ethnicity' },
  { name: '出生日期', technicalName: 'CSRQ', dataType: 'D', required: true },
  {
    name: '户籍地行政区划',
    technicalName: 'HJDXZQH',
    dataType: 'C',
    length: 6,
    codeTable: 'gb2260',
    check: 'regionCode',
  },
  { name: '户籍地址', technicalName: 'HJDZ', dataType: 'C', length: 200 },
  { name: '单位统一社会信用代码', technicalName: 'DWTYSHXYDM', dataType: 'C', length: 18, check: 'uscc' },
  { name: '组织机构代码', technicalName: 'ZZJGDM', dataType: 'C', length: 10, check: 'orgCode' },
  { name: '月收入', technicalName: 'YSR', dataType: 'N', length: 12, precision: 2 },
  { name: '家庭人口', technicalName: 'JTRK', dataType: 'I' },
  { name: '评分', technicalName: 'PF', dataType: 'B' },
  { name: '是否户主', technicalName: 'SFHZ', dataType: 'L' },
  { name: '登记日期', technicalName: 'DJRQ', dataType: 'D' },
  { name: '更新时间', technicalName: 'GXSJ', dataType: 'T', required: true },
  { name: '联系电话', technicalName: 'LXDH', dataType: 'C', length: 20, sensitive: true },
  { name: '工作单位', technicalName: 'GZDW', dataType: 'C', length: 100 },
  { name: '职业', technicalName: 'ZY', dataType: 'C', length: 50 },
  { name: '备注', technicalName: 'BZ', dataType: 'M' },
  { name: '户号', technicalName: 'HH', dataType: 'C', length: 20 },
];
const resource = { name: '基准资源', items };

function row(i) {
  // Distinct keys: 1,000 sequence numbers per birth day.
  const birth = new Date(Date.UTC(1950, 0, 1 + Math.floor(i / 1000)))
    .toISOString()
    .slice(0, 10)
    .replaceAll('-', '');
  const first17 = `350102${birth}${String(i % 1000).padStart(3, '0')}`;
  const id = first17 + residentIdCheckDigit(first17);
  const org8 = String(10000000 + (i % 9e7));
  const uscc17 = `91350100${org8}${orgCodeCheckChar(org8)}`;
  return [
    id,
    '林志强',
    i % 2 === 1 ? '1' : '2',
    '01',
    `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6)}`,
    '350102',
    `"福州市鼓楼区东街${i % 300}号,2单元"`,
    uscc17 + usccCheckChar(uscc17),
    `${org8}-${orgCodeCheckChar(org8)}`,
    `${i % 100000}.50`,
    String(i % 9),
    '3.75',
    i % 2 ? 'true' : 'false',
    '2020-05-01',
    '2024-03-01 10:20:30',
    '13800000000',
    '福建省某某单位',
    '工程师',
    '',
    `H${i}`,
  ].join(',');
}

async function generate(count) {
  const out = createWriteStream(path);
  out.write(items.map((item) => item.name).join(',') + '\r\n');
  let buffer = '';
  for (let i = 0; i < count; i += 1) {
    buffer += row(i) + '\r\n';
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await new Promise((r) => out.once('drain', r));
      buffer = '';
    }
  }
  out.end(buffer);
  await new Promise((r) => out.on('finish', r));
  console.log(`wrote ${count} rows to ${path}`);
}

async function time(label, run) {
  const start = process.hrtime.bigint();
  const rows = await run();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const rss = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(
    `${label}: ${rows} rows in ${seconds.toFixed(2)} s = ${Math.round(rows / seconds).toLocaleString('en')} rows/s, peak RSS ${rss} MiB`,
  );
}

const mode = process.argv[2];
if (mode === 'generate') await generate(Number(process.argv[3] ?? 1_000_000));
if (mode === 'parse') {
  const { readDataRows } = await import(new URL('data-rows.js', dist));
  await time('readDataRows (decode + parse)', async () => {
    let rows = 0;
    for await (const row of (await readDataRows(path)).rows) rows += row ? 1 : 0;
    return rows;
  });
}
if (mode === 'csv-parse') {
  const { parse } = require('csv-parse');
  await time('csv-parse 7 (stream, utf8)', async () => {
    let rows = 0;
    for await (const record of createReadStream(path).pipe(parse({ bom: true, relax_column_count: false })))
      rows += record ? 1 : 0;
    return rows - 1;
  });
}
if (mode === 'validate') {
  const { validateDataFile } = await import(new URL('validate-data.js', dist));
  await time('validateDataFile (all checks)', async () => {
    const report = await validateDataFile(path, resource);
    console.log(JSON.stringify({ rows: report.rows, validRows: report.validRows, counts: report.counts }));
    return report.rows;
  });
}
