// Generates fixtures/catalogs/department-gbk.csv: three resources of one department from the
// Fujian fixture catalog as a data officer's Excel would save them on Chinese Windows ("CSV",
// i.e. GBK with CRLF), one row per information item with the resource columns on each
// resource's first row; and department-gbk.expected.json, the same resources as JSON (UTF-8).
// Deterministic: run `node scripts/csv-fixture.js` after changing the source catalog.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// iconv-lite is a dependency of the SDK, not of the workspace root.
const iconv = createRequire(`${root}packages/sdk/package.json`)('iconv-lite');
const catalogs = `${root}fixtures/catalogs/`;
const CODES = ['3350050001/000001', '3350050001/000002', '3350050002/000001'];

/** Header (as in the Minjiang template) and the field path it holds. */
const COLUMNS = [
  ['信息资源代码', 'code'],
  ['信息资源名称', 'name'],
  ['资源属性分类', 'resourceClass'],
  ['所属主题', 'subject'],
  ['提供方名称', 'provider.name'],
  ['提供方统一社会信用代码', 'provider.uscc'],
  ['提供方行政区划代码', 'provider.regionCode'],
  ['信息资源摘要', 'summary'],
  ['信息资源格式分类', 'format.category'],
  ['信息资源格式类型', 'format.type'],
  ['共享类型', 'sharing.type'],
  ['共享条件', 'sharing.condition'],
  ['共享方式分类', 'sharing.methodCategory'],
  ['共享方式类型', 'sharing.methodTypes'],
  ['开放类型', 'opening.type'],
  ['更新周期', 'updateCycle'],
  ['发布日期', 'publishedAt'],
  ['数据分级', 'grading.level'],
  ['信息项名称', 'items.name'],
  ['信息项技术名称', 'items.technicalName'],
  ['数据类型', 'items.dataType'],
  ['数据长度', 'items.length'],
  ['是否主键', 'items.isKey'],
  ['是否必填', 'items.required'],
];

const get = (object, path) => path.split('.').reduce((value, key) => value?.[key], object);

function set(object, path, value) {
  const keys = path.split('.');
  const last = keys.pop();
  let target = object;
  for (const key of keys) target = target[key] ??= {};
  target[last] = value;
}

function cell(value) {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.join('、');
  if (typeof value === 'boolean') return value ? '是' : '否';
  return String(value);
}

function quote(text) {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The part of a resource the CSV's columns hold, i.e. what reading the CSV must give back. */
function projection(resource) {
  const result = {};
  for (const [, path] of COLUMNS) {
    if (path.startsWith('items.')) continue;
    const value = get(resource, path);
    if (value !== undefined) set(result, path, value);
  }
  result.items = resource.items.map((item) => {
    const projected = {};
    for (const [, path] of COLUMNS.filter(([, p]) => p.startsWith('items.'))) {
      const value = get(item, path.slice('items.'.length));
      if (value !== undefined) projected[path.slice('items.'.length)] = value;
    }
    return projected;
  });
  return result;
}

function rowsOf(resource) {
  return resource.items.map((item, index) =>
    COLUMNS.map(([, path]) => {
      if (path.startsWith('items.')) return cell(item[path.slice('items.'.length)]);
      return index === 0 ? cell(get(resource, path)) : '';
    }),
  );
}

const source = JSON.parse(readFileSync(`${catalogs}fujian-province.json`, 'utf8'));
const resources = CODES.map((code) => source.resources.find((resource) => resource.code === code));
const rows = [COLUMNS.map(([header]) => header), ...resources.flatMap(rowsOf)];
const text = rows.map((row) => `${row.map(quote).join(',')}\r\n`).join('');
const bytes = iconv.encode(text, 'gbk');
if (iconv.decode(bytes, 'gbk') !== text) throw new Error('The fixture has characters GBK cannot encode.');
writeFileSync(`${catalogs}department-gbk.csv`, bytes);
const expected = { resources: resources.map(projection) };
// Short lists of strings on one line, as Prettier formats JSON, so `pnpm format:check` passes.
const json = JSON.stringify(expected, null, 2).replace(
  /\[\n\s+("[^"\n]*"(?:,\n\s+"[^"\n]*")*)\n\s+\]/g,
  (_, items) => `[${items.split(/,\n\s+/).join(', ')}]`,
);
writeFileSync(`${catalogs}department-gbk.expected.json`, `${json}\n`);
console.log(`department-gbk.csv: ${rows.length - 1} rows, ${bytes.length} bytes (GBK, CRLF)`);
