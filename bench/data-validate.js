// `data validate` on a generated 1,000,000-row, 20-column CSV (resident ID numbers, USCCs,
// organisation codes, code tables, dates, numbers; 0.3% bad rows), every check on, through the
// SDK's public `validateDataFile` (and the built CLI once it has `data validate`), against, on the
// same file in the same run: bare csv-parse (its fastest options), bare papaparse (streaming) and
// tableschema (Frictionless) validating with a table schema equivalent to the resource.
// Each contender runs in its own child process so its peak RSS is its own.
// MINJIANG_BENCH_ROWS sets the size (default 1,000,000); MINJIANG_BENCH_BIG=1 adds a file ten
// times larger (about half an hour, mostly tableschema; 2.3 GB in the temp folder).
// MINJIANG_BENCH_ONLY=csv-parse,validateDataFile runs only the contenders whose name contains
// one of the comma-separated words (the 10M-row SDK figure without half an hour of tableschema).
import { once } from 'node:events';
import {
  createWriteStream,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { writeCatalog } from '@minjiang/sdk';
import { measureOk } from './measure.js';
import { codeTable, orgCodeCheckChar, residentIdCheckDigit, usccCheckChar } from '@minjiang/standards';

const root = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(root, 'packages/cli/bin/run.js');
const CLI_COMMAND = join(root, 'packages/cli/dist/commands/data/validate.js');
const ROWS = Number(process.env.MINJIANG_BENCH_ROWS ?? 1_000_000);
const BIG = process.env.MINJIANG_BENCH_BIG === '1';
const ONLY = (process.env.MINJIANG_BENCH_ONLY ?? '').split(',').filter((word) => word !== '');
const CODE = '3350010001/000001';

const ITEMS = [
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
export const RESOURCE = { code: CODE, name: '户籍人口基本信息（基准）', items: ITEMS };

// The same resource as a Frictionless table schema, as close as the table schema can say it: a
// pattern stands for the ID / USCC / organisation-code check digits it cannot compute, an enum
// for each code table, a primary key for the key item's uniqueness. No cross-field rules.
const ID = '^[1-9]\\d{5}(?:18|19|20)\\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\\d|3[01])\\d{3}[\\dX]$';
const USCC = '^[0-9A-HJ-NPQRTUWXY]{2}\\d{6}[0-9A-HJ-NPQRTUWXY]{10}$';
const codes = (table) => codeTable(table).data.map((row) => row.code);
const TABLE_SCHEMA = {
  fields: [
    { name: '公民身份号码', type: 'string', constraints: { required: true, maxLength: 18, pattern: ID } },
    { name: '姓名', type: 'string', constraints: { required: true, maxLength: 50 } },
    { name: '性别', type: 'string', constraints: { enum: codes('gbt2261-1-gender') } },
    { name: '民族', type: 'string', constraints: { enum: codes('gbt3304-ethnicity') } },
    { name: '出生日期', type: 'date', constraints: { required: true } },
    { name: '户籍地行政区划', type: 'string', constraints: { enum: codes('gb2260') } },
    { name: '户籍地址', type: 'string', constraints: { maxLength: 200 } },
    { name: '单位统一社会信用代码', type: 'string', constraints: { maxLength: 18, pattern: USCC } },
    {
      name: '组织机构代码',
      type: 'string',
      constraints: { maxLength: 10, pattern: '^[0-9A-Z]{8}-?[0-9X]$' },
    },
    { name: '月收入', type: 'number', constraints: { maximum: 9999999999.99 } },
    { name: '家庭人口', type: 'integer' },
    { name: '评分', type: 'number' },
    { name: '是否户主', type: 'boolean' },
    { name: '登记日期', type: 'date' },
    { name: '更新时间', type: 'datetime', format: '%Y-%m-%d %H:%M:%S', constraints: { required: true } },
    { name: '联系电话', type: 'string', constraints: { maxLength: 20 } },
    { name: '工作单位', type: 'string', constraints: { maxLength: 100 } },
    { name: '职业', type: 'string', constraints: { maxLength: 50 } },
    { name: '备注', type: 'string' },
    { name: '户号', type: 'string', constraints: { maxLength: 20 } },
  ],
  primaryKey: ['公民身份号码'],
  missingValues: [''],
};

const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡'];
const GIVEN = [
  '志强',
  '秀英',
  '丽华',
  '建国',
  '海燕',
  '文斌',
  '晓明',
  '美玲',
  '国栋',
  '思远',
  '雨涵',
  '子轩',
  '欣怡',
  '伟',
  '芳',
  '静',
];
const JOBS = ['工程师', '教师', '医生', '职员', '个体经营', '农民', '退休', '学生', '律师', '会计'];
const STREETS = ['东街', '五一路', '八一七北路', '杨桥路', '湖东路', '福马路', '工业路', '华林路'];
const WORKPLACES = [
  '福建省某某科技有限公司',
  '福州市鼓楼区人民医院',
  '福州第一中学',
  '闽江学院',
  '某某建设集团有限公司',
];
const ETHNIC = ['01', '01', '01', '01', '01', '01', '01', '01', '19', '04']; // mostly 汉族, some 畲族, 苗族
const REGIONS = codeTable('gb2260')
  .data.filter((row) => row.code.startsWith('3501') && row.level === 'county' && row.current)
  .map((row) => row.code);

/** One CSV line. Every 1000 rows: a USCC with a wrong check character, an impossible date and an unknown ethnicity code. */
function line(i) {
  // Distinct keys: 1,000 sequence numbers per birth day from 1950.
  const day = new Date(Date.UTC(1950, 0, 1 + Math.floor(i / 1000)));
  const iso = day.toISOString().slice(0, 10);
  const region = REGIONS[i % REGIONS.length];
  const first17 = `${region}${iso.replaceAll('-', '')}${String(i % 1000).padStart(3, '0')}`;
  const org8 = String(10_000_000 + ((i * 7919) % 89_999_999));
  const orgCheck = orgCodeCheckChar(org8);
  const uscc17 = `91350100${org8}${orgCheck}`;
  const badUscc = i % 1000 === 999;
  const uscc = uscc17 + (badUscc ? (usccCheckChar(uscc17) === '0' ? '1' : '0') : usccCheckChar(uscc17));
  const name = SURNAMES[i % SURNAMES.length] + GIVEN[(i >> 3) % GIVEN.length];
  const remark = i % 50 === 0 ? '"复核：""已上门核实"",待补材料"' : '';
  return [
    first17 + residentIdCheckDigit(first17),
    name,
    i % 2 === 1 ? '1' : '2',
    i % 1000 === 250 ? '99' : ETHNIC[i % ETHNIC.length],
    iso,
    region,
    `"福州市${STREETS[i % STREETS.length]}${(i % 300) + 1}号,${(i % 6) + 1}单元"`,
    uscc,
    `${org8}-${orgCheck}`,
    `${(i * 37) % 100_000}.${String(i % 100).padStart(2, '0')}`,
    String((i % 7) + 1),
    `${i % 5}.${i % 10}`,
    i % 3 === 0 ? 'true' : 'false',
    i % 1000 === 500 ? '2020-02-30' : `20${String(10 + (i % 14))}-0${(i % 9) + 1}-1${i % 10}`,
    `2024-0${(i % 9) + 1}-2${i % 8} ${String(i % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:30`,
    `1${3 + (i % 7)}${String(10_000_000 + ((i * 104_729) % 89_999_999)).padStart(9, '0')}`,
    WORKPLACES[i % WORKPLACES.length],
    JOBS[i % JOBS.length],
    remark,
    `H${350100_000_000 + Math.floor(i / 3)}`,
  ].join(',');
}

export async function generate(path, count) {
  const out = createWriteStream(path);
  out.write('\uFEFF' + ITEMS.map((item) => item.name).join(',') + '\r\n');
  let buffer = '';
  for (let i = 0; i < count; i += 1) {
    buffer += line(i) + '\r\n';
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}

// Each script prints `{"rows": data rows, "invalid": rows with an error}` on its last line.
const CSV_PARSE = `
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
const parser = createReadStream(process.argv[1], { highWaterMark: 1 << 20 }).pipe(parse({ bom: true }));
let rows = -1;
parser.on('readable', () => { while (parser.read() !== null) rows += 1; });
parser.on('end', () => console.log(JSON.stringify({ rows })));`;

const PAPAPARSE = `
import { createReadStream } from 'node:fs';
import Papa from 'papaparse';
let rows = -1;
Papa.parse(createReadStream(process.argv[1], { encoding: 'utf8', highWaterMark: 1 << 20 }), {
  chunk: (results) => { rows += results.data.length; },
  complete: () => console.log(JSON.stringify({ rows })),
});`;

const TABLESCHEMA = `
import { readFileSync } from 'node:fs';
import tableschema from 'tableschema';
const schema = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const table = await tableschema.Table.load(process.argv[1], { schema, bom: true });
let rows = 0, invalid = 0;
for await (const row of await table.iter({ cast: true, forceCast: true })) {
  rows += 1;
  if (row instanceof Error) invalid += 1;
}
console.log(JSON.stringify({ rows, invalid }));`;

const SDK_READ = `
import { readDataRows } from '@minjiang/sdk';
let rows = 0;
for await (const row of (await readDataRows(process.argv[1])).rows) rows += row ? 1 : 0;
console.log(JSON.stringify({ rows }));`;

const SDK = `
import { readFileSync } from 'node:fs';
import { validateDataFile } from '@minjiang/sdk';
const report = await validateDataFile(process.argv[1], JSON.parse(readFileSync(process.argv[2], 'utf8')));
console.log(JSON.stringify({ rows: report.rows, invalid: report.rows - report.validRows, counts: report.counts }));`;

const script = (source, ...args) => ['--input-type=module', '-e', source, ...args];

async function bench(work, rows) {
  const file = join(work, `data-${rows}.csv`);
  const start = performance.now();
  await generate(file, rows);
  const generated = (performance.now() - start) / 1000;
  const mb = statSync(file).size / 1e6;
  const label = `${rows.toLocaleString('en')} rows`;
  console.error(`data-validate: ${label} (${mb.toFixed(0)} MB) generated in ${generated.toFixed(1)} s`);

  const contenders = [
    ['csv-parse 7, stream, arrays, no cast (limit)', script(CSV_PARSE, file)],
    ['papaparse 5, stream, chunk callback', script(PAPAPARSE, file)],
    [
      'tableschema 1.12, cast + constraints + primary key',
      script(TABLESCHEMA, file, join(work, 'schema.json')),
    ],
    ['readDataRows (@minjiang/sdk): decode + RFC 4180 parse, no checks', script(SDK_READ, file)],
    ['validateDataFile (@minjiang/sdk), every check', script(SDK, file, join(work, 'resource.json'))],
  ];
  if (existsSync(CLI_COMMAND)) {
    contenders.push([
      'minjiang data validate (built CLI), every check',
      [
        BIN,
        'data',
        'validate',
        file,
        '--resource',
        CODE,
        '--catalog',
        join(work, 'catalog.json'),
        '--json',
        '--fail-on',
        'never',
      ],
    ]);
  }
  const results = [];
  const chosen = contenders.filter(([name]) => ONLY.length === 0 || ONLY.some((word) => name.includes(word)));
  for (const [measureName, args] of chosen) {
    console.error(`data-validate: ${label}: ${measureName}`);
    const { seconds, mib, stdout } = await measureOk(args);
    // The scripts print one JSON line last; the CLI prints its whole --json report.
    const text = stdout.trim();
    const out = JSON.parse(text.startsWith('{\n') ? text : text.split('\n').at(-1));
    const invalid = out.invalid ?? (out.validRows === undefined ? undefined : out.rows - out.validRows);
    console.error(
      `data-validate: ${label}: ${seconds.toFixed(2)} s, ${Math.round(mib)} MiB, ${out.rows} rows, ${invalid ?? '-'} invalid, ${JSON.stringify(out.counts ?? {})}`,
    );
    if (out.rows !== rows) throw new Error(`${measureName} counted ${out.rows} rows, expected ${rows}`);
    results.push({
      file: label,
      measure: measureName,
      seconds,
      'rows/s': Math.round(rows / seconds),
      'peak MiB': Math.round(mib),
      'invalid rows': invalid,
    });
  }
  // The ratio needs csv-parse in the same run; without it there is none.
  const limit = chosen[0]?.[0] === contenders[0][0] ? results[0].seconds : undefined;
  if (limit !== undefined)
    for (const result of results) result['× csv-parse'] = Number((limit / result.seconds).toFixed(2));
  if (!existsSync(CLI_COMMAND) && ONLY.length === 0) {
    results.push({
      file: label,
      measure:
        'minjiang data validate (built CLI): skipped, packages/cli/dist/commands/data/validate.js not built',
    });
  }
  rmSync(file, { force: true });
  return results;
}

export async function run() {
  const work = mkdtempSync(join(tmpdir(), 'minjiang-bench-data-'));
  try {
    writeFileSync(join(work, 'resource.json'), JSON.stringify(RESOURCE));
    writeFileSync(join(work, 'schema.json'), JSON.stringify(TABLE_SCHEMA));
    const full = JSON.parse(readFileSync(join(root, 'fixtures/catalog-resource/valid/full.json'), 'utf8'));
    await writeCatalog(join(work, 'catalog.json'), {
      resources: [{ ...full, ...RESOURCE, relatedResources: [] }],
    });
    const results = await bench(work, ROWS);
    if (BIG) results.push(...(await bench(work, ROWS * 10)));
    return results;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
