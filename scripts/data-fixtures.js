// Writes the household-population data fixtures for 常住人口基本信息 (fixtures/catalogs/
// fujian-province.yaml): 30 rows, UTF-8 and GBK, with 8 rows broken on purpose, and the exact
// findings they must produce. Deterministic (seeded PRNG). Run from packages/sdk so that
// @minjiang/standards and iconv-lite resolve:  cd packages/sdk && node ../../scripts/data-fixtures.js
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { residentIdCheckDigit } from '@minjiang/standards';

const require = createRequire(join(process.cwd(), 'package.json'));
const iconv = require('iconv-lite');
const here = fileURLToPath(new URL('../fixtures/data/', import.meta.url));

let seed = 20240301;
function random() {
  // mulberry32
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (list) => list[Math.floor(random() * list.length)];
const pad = (n, width) => String(n).padStart(width, '0');

const REGIONS = {
  350102: '福州市鼓楼区',
  350104: '福州市仓山区',
  350111: '福州市晋安区',
  350203: '厦门市思明区',
  350211: '厦门市集美区',
  350502: '泉州市鲤城区',
  350602: '漳州市芗城区',
  350802: '龙岩市新罗区',
};
const SURNAMES = ['林', '陈', '黄', '郑', '王', '张', '吴', '李', '刘', '蔡', '杨', '许'];
const GIVEN = ['志强', '秀英', '建华', '美玲', '伟', '丽娟', '文彬', '晓燕', '国平', '雅婷', '俊杰', '淑芬'];
const STREETS = ['东街', '五一路', '湖东路', '鼓浪屿路', '中山路', '温泉路', '华林路', '江滨大道'];
const HEADER = [
  '公民身份号码',
  '姓名',
  '曾用名',
  '性别',
  '民族',
  '出生日期',
  '出生地行政区划',
  '户籍地址',
  '户籍地行政区划',
  '户号',
  '与户主关系',
  '更新时间',
];

function residentId(region, birth, male) {
  const sequence = Math.floor(random() * 500) * 2 + (male ? 1 : 0);
  const first17 = `${region}${birth}${pad(sequence, 3)}`;
  return first17 + residentIdCheckDigit(first17);
}

function person() {
  const region = pick(Object.keys(REGIONS));
  const year = 1940 + Math.floor(random() * 80);
  const birth = `${year}${pad(1 + Math.floor(random() * 12), 2)}${pad(1 + Math.floor(random() * 28), 2)}`;
  const male = random() < 0.5;
  const id = residentId(region, birth, male);
  const street = `${REGIONS[region]}${pick(STREETS)}${1 + Math.floor(random() * 300)}号`;
  return {
    公民身份号码: id,
    姓名: pick(SURNAMES) + pick(GIVEN),
    曾用名: random() < 0.15 ? pick(SURNAMES) + pick(GIVEN) : '',
    性别: male ? '1' : '2',
    民族: random() < 0.9 ? '01' : pick(['04', '09', '19']),
    出生日期: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`,
    出生地行政区划: region,
    户籍地址: street,
    户籍地行政区划: region,
    户号: `${region}${pad(Math.floor(random() * 1e6), 6)}`,
    与户主关系: pick(['01', '02', '10', '20']),
    更新时间: `2024-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 10)} 0${Math.floor(random() * 10)}:${pad(Math.floor(random() * 60), 2)}:00`,
  };
}

const rows = Array.from({ length: 30 }, person);
const expected = [];
const breakRow = (row, column, code, change) => {
  change(rows[row - 1]);
  expected.push({ row, column, code });
};
// Valid but awkward CSV: a comma and quotes inside quoted cells.
rows[1].户籍地址 = `${rows[1].户籍地址},2单元301室`;
rows[6].户籍地址 = `${rows[6].户籍地址}“金山”小区"A"座`;
breakRow(5, '公民身份号码', 'DATA-RESIDENT-ID', (r) => {
  const last = r.公民身份号码.at(-1);
  r.公民身份号码 = r.公民身份号码.slice(0, 17) + (last === '1' ? '2' : '1');
});
breakRow(9, '性别', 'DATA-GENDER-MISMATCH', (r) => (r.性别 = r.性别 === '1' ? '2' : '1'));
breakRow(
  12,
  '出生日期',
  'DATA-BIRTHDATE-MISMATCH',
  (r) => (r.出生日期 = `${Number(r.出生日期.slice(0, 4)) + 1}${r.出生日期.slice(4)}`),
);
breakRow(15, '民族', 'DATA-CODE', (r) => (r.民族 = '60'));
breakRow(18, '出生日期', 'DATA-DATE-FORMAT', (r) => {
  r.公民身份号码 = residentId(r.出生地行政区划, '20230501', r.性别 === '1');
  r.出生日期 = '2023年5月1日';
});
breakRow(21, '户号', 'DATA-LENGTH', (r) => (r.户号 = `${r.户号}-0000-0000-00`));
breakRow(24, '公民身份号码', 'DATA-DUPLICATE-KEY', (r) =>
  Object.assign(r, { ...rows[2], 户籍地址: r.户籍地址 }),
);
breakRow(27, '姓名', 'DATA-REQUIRED', (r) => (r.姓名 = ''));

const quote = (cell) => (/[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
const text = [HEADER, ...rows.map((r) => HEADER.map((h) => r[h]))]
  .map((cells) => cells.map(quote).join(',') + '\r\n')
  .join('');
writeFileSync(join(here, 'household-population.csv'), text, 'utf8');
writeFileSync(join(here, 'household-population.gbk.csv'), iconv.encode(text, 'gbk'));
writeFileSync(join(here, 'household-population.expected.json'), JSON.stringify(expected, null, 2) + '\n');
console.log(`wrote ${rows.length} rows, ${expected.length} expected findings`);
