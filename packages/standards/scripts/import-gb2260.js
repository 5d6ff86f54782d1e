// Builds codes/gb2260.json, the whole country's GB/T 2260 county-level-and-above codes.
//
// Run from the repository root:
//   node packages/standards/scripts/import-gb2260.js [path/to/divisions-1980-2019.tsv]
//
// Input: the 1980–2019 MCA revisions (cn/GB2260, source key S-GB2260), one row per code, plus the
// hand-written codes/gb2260-changes.json (changes after 2019-04, e.g. Fujian 2021, S-DIV2x).
// Output is deterministic (rows sorted by code, fixed key order, one row per line), so a re-run
// on the same inputs gives the same bytes and diffs stay readable. Plain Node, no dependencies.

import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('../', import.meta.url));
const defaultTsv = '/work/shared/data/gb2260/divisions-1980-2019.tsv';
const changesPath = `${packageDir}codes/gb2260-changes.json`;
const outputPath = `${packageDir}codes/gb2260.json`;

const TSV_COLUMNS = ['code', 'name', 'first_revision', 'last_revision', 'current_in_201904', 'former_names'];

/** The level follows from the code shape (S-GB2260 spec.md): XX0000, XXXX00, otherwise county. */
function levelOf(code) {
  if (code.endsWith('0000')) return 'province';
  if (code.endsWith('00')) return 'prefecture';
  return 'county';
}

function fail(message) {
  throw new Error(`import-gb2260: ${message}`);
}

function parseTsvRow(line, lineNumber) {
  const cells = line.split('\t');
  if (cells.length !== TSV_COLUMNS.length)
    fail(`line ${lineNumber}: expected 6 columns, got ${cells.length}`);
  const [code, name, first, last, current, former] = cells.map((cell) => cell.trim());
  if (!/^[1-9]\d{5}$/.test(code)) fail(`line ${lineNumber}: bad code "${code}"`);
  if (!/^\d{6}$/.test(first) || !/^\d{6}$/.test(last)) fail(`line ${lineNumber}: bad revision`);
  if (current !== 'yes' && current !== 'no') fail(`line ${lineNumber}: bad current flag "${current}"`);
  return {
    code,
    label: name,
    firstRevision: first,
    lastRevision: last,
    current: current === 'yes',
    formerNames: former === '' ? [] : former.split('|').map((n) => n.trim()),
    level: levelOf(code),
    source: 'S-GB2260',
  };
}

function readTsv(path) {
  const lines = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '');
  if (lines[0]?.split('\t').join(',') !== TSV_COLUMNS.join(',')) fail(`unexpected header in ${path}`);
  const rows = new Map();
  lines.slice(1).forEach((line, i) => {
    const row = parseTsvRow(line, i + 2);
    if (rows.has(row.code)) fail(`duplicate code ${row.code}`);
    rows.set(row.code, row);
  });
  return rows;
}

/** An existing code: the change sets its status; the name must agree, to catch typos. */
function applyToExisting(row, change) {
  if (row.label !== change.label)
    fail(`${change.code}: changes file says "${change.label}", TSV "${row.label}"`);
  row.current = change.current;
  row.lastRevision = change.lastRevision;
  if (change.replacedBy) row.replacedBy = [...change.replacedBy];
  row.source = `${row.source}, ${change.source}`;
}

function addNew(rows, change) {
  for (const key of ['firstRevision', 'lastRevision', 'current', 'source']) {
    if (change[key] === undefined) fail(`${change.code}: a new code needs ${key}`);
  }
  rows.set(change.code, {
    code: change.code,
    label: change.label,
    firstRevision: change.firstRevision,
    lastRevision: change.lastRevision,
    current: change.current,
    formerNames: [...(change.formerNames ?? [])],
    level: levelOf(change.code),
    source: change.source,
    ...(change.replaces ? { replaces: [...change.replaces] } : {}),
  });
}

function mergeChanges(rows, changes) {
  for (const change of changes.data) {
    const existing = rows.get(change.code);
    if (existing) applyToExisting(existing, change);
    else addNew(rows, change);
  }
}

function describe(tsvRows, changes) {
  return {
    name: 'gb2260',
    title: '中华人民共和国行政区划代码（县级及以上，现行与历史）',
    titleEn: 'GB/T 2260 administrative division codes, county level and above, current and historic',
    version: '1980.12-2019.04+changes-2021',
    canonical: 'code',
    description:
      'GENERATED FILE, do not edit: run `node packages/standards/scripts/import-gb2260.js` from the repository root. ' +
      `Every code in any of the MCA revisions 1980-12 to 2019-04 (${tsvRows} codes), merged with codes/gb2260-changes.json ` +
      `(${changes.data.length} rows: changes after 2019-04). "current" means in force in 2019-04 and not replaced by a ` +
      'recorded later change; changes after 2019-04 outside the changes file are missing. Historic codes are kept because ' +
      'an 18-digit resident ID keeps the region code in force where and when it was issued. Labels repeat across provinces ' +
      '(e.g. 鼓楼区), so look divisions up by code.',
    sources: [
      {
        title:
          'S-GB2260: cn/GB2260 data set, Ministry of Civil Affairs revisions 1980-12 to 2019-04 (mca/*.tsv)',
        path: 'shared/data/gb2260/divisions-1980-2019.tsv',
      },
      {
        title: 'S-DIV2x via codes/gb2260-changes.json: changes after 2019-04',
        path: 'codes/gb2260-changes.json',
        note: 'Months of the 2021 Fujian changes UNCONFIRMED; other provinces after 2019-04 not recorded',
      },
    ],
    licenses: [
      { name: 'Apache-2.0', title: 'This compilation; the codes themselves are public government data' },
    ],
    schema: { fields: FIELDS },
  };
}

const FIELDS = [
  { name: 'code', type: 'string', description: 'Six-digit GB/T 2260 code' },
  { name: 'label', type: 'string', description: 'Name in the last revision that lists the code' },
  { name: 'firstRevision', type: 'string', description: 'First revision (YYYYMM) that lists the code' },
  { name: 'lastRevision', type: 'string', description: 'Last revision (YYYYMM) that lists the code' },
  {
    name: 'current',
    type: 'boolean',
    description: 'In force as of the latest data (2019-04 plus recorded changes)',
  },
  { name: 'formerNames', type: 'array', description: 'Earlier names of the same code' },
  { name: 'level', type: 'string', description: 'province | prefecture | county, from the code shape' },
  { name: 'source', type: 'string', description: 'Source keys (standards.md §0)' },
  {
    name: 'replaces',
    type: 'array',
    description: 'Codes this code replaced (only on codes from the changes file)',
  },
  { name: 'replacedBy', type: 'array', description: 'Codes that replaced this one (only where recorded)' },
];

/** Header pretty-printed, rows one per line: readable diffs without a 6,000-line file per field. */
function serialise(descriptor, rows) {
  const head = JSON.stringify({ ...descriptor, data: [] }, null, 2).replace(/\n {2}"data": \[\]\n\}$/, '');
  const body = rows.map((row) => `    ${JSON.stringify(row)}`).join(',\n');
  return `${head}\n  "data": [\n${body}\n  ]\n}\n`;
}

function main() {
  const tsvPath = process.argv[2] ?? defaultTsv;
  const rows = readTsv(tsvPath);
  const tsvRows = rows.size;
  const changes = JSON.parse(readFileSync(changesPath, 'utf8'));
  mergeChanges(rows, changes);
  const sorted = [...rows.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  writeFileSync(outputPath, serialise(describe(tsvRows, changes), sorted));
  process.stdout.write(`import-gb2260: wrote ${sorted.length} codes to ${outputPath}\n`);
}

main();
