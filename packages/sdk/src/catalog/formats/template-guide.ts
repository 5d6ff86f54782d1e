/** The 填写说明 sheet: the rules of the template and what each column means. */
import { codeTable } from '@minjiang/standards';
import { isoDay, type CellValue } from './cell-values.js';
import { columnLetter, type ColumnDef } from './columns.js';
import { resourceRows, type Layout } from './tabular.js';

/** The example resource of the Minjiang template: realistic, and valid under every rule. */
export const TEMPLATE_EXAMPLE = {
  code: '3350050101/000008',
  name: '福州市食品经营许可信息',
  resourceClass: '部门信息资源',
  subject: '组织',
  provider: { name: '福州市市场监督管理局', uscc: '11350100FJ01000501', regionCode: '350100' },
  subUnit: '食品经营安全监督管理处',
  summary: '福州市核发的食品经营许可证信息，含许可证编号、经营者名称和有效期，用于许可核验和事中事后监管。',
  keywords: ['食品经营', '许可证'],
  relatedMatters: ['食品经营许可', '食品经营许可变更'],
  system: '福州市市场监管综合业务系统',
  format: { category: '数据库', type: 'mysql' },
  items: [
    {
      name: '许可证编号',
      technicalName: 'XKZBH',
      dataType: 'C',
      length: 32,
      description: '食品经营许可证编号，JY 开头',
      isKey: true,
      required: true,
    },
    { name: '经营者名称', technicalName: 'JYZMC', dataType: 'C', length: 200, required: true },
    { name: '更新时间', technicalName: 'GXSJ', dataType: 'T', required: true, isTimestamp: true },
  ],
  sharing: {
    type: '无条件共享',
    condition: '无条件',
    methodCategory: '共享平台方式',
    methodTypes: ['接口', '数据库'],
  },
  opening: { type: '无条件开放' },
  updateCycle: '每日',
  publishedAt: '2024-01-15',
  grading: { level: '一般数据2级', classified: false },
  scenario: '监管',
  spatialScope: '福州市',
  timeRange: { from: '2015-10-01' },
  syncMode: '增量',
  statistics: {
    storageGB: 2.5,
    records: 186000,
    sharedStorageGB: 2.5,
    sharedRecords: 186000,
    openStorageGB: 2.5,
    openRecords: 186000,
  },
};

const COMMON_RULES = [
  '多个值（关键字、关联业务事项、共享方式类型、关联资源代码）用顿号“、”分隔，也可用逗号、分号或换行。',
  '是/否列填“是”或“否”。日期按 YYYY-MM-DD 填写，如 2024-01-15；单元格已设为文本格式，请勿改成日期或常规格式。',
  '带下拉箭头的列请从下拉列表中选择，可选值见下表。表头为红色的列必须填写（信息项的列在有信息项时必填）。',
  '读取时不会自动更正内容：前后空格、全角字符、别名等会在校验时报告，可用 minjiang catalog fix 提出并应用修正。',
];

/** The rules of the Minjiang template. */
export const MINJIANG_RULES = [
  '每行一个信息项：资源有几个信息项就占几行。资源自己的列（从“信息资源代码”到“已开放的结构化记录数”）只填在该资源的第一行，后面的行留空；“信息资源代码”和“信息资源名称”都为空的行接续上一个资源。没有信息项的资源占一行。',
  ...COMMON_RULES,
];

/** The rule about the example rows, for the empty template only. */
export const EXAMPLE_RULE = '“目录”表第 2–4 行是一个示例资源（3 个信息项），填写前请删除。';

/** The rules of the national template with the Minjiang extension columns. */
export const NATIONAL_RULES = [
  '按国家政务信息资源目录填报模板的列顺序填写，每行一个信息项；资源自己的列合并单元格（或只填第一行）。',
  '“共享类型”“共享条件/不予共享依据”“是否向社会开放”“开放条件”每行都填；与资源第一行不同的值视为该信息项自己的共享、开放属性。',
  '“是否向社会开放”为“是”且填了开放条件时为有条件开放，未填开放条件时为无条件开放，“否”为不予开放。',
  '分类列（部门类信息资源分类至细目分类1.1）由信息资源代码得出，与代码不一致时会提示。',
  '“开放主题分类”之后的列是闽江标准要求而国家模板没有的扩展列（提供方、分级等），请一并填写。',
  ...COMMON_RULES,
];

const SCOPE = { resource: '资源（第一行）', item: '信息项（每行）', row: '每行' } as const;

function allowedValues(column: ColumnDef): string {
  const { choices } = column;
  if (!choices) return '';
  if (!('table' in choices)) return choices.values.join('、');
  const table = codeTable(choices.table);
  return table.data
    .map((entry) => (table.canonical === 'code' ? `${entry.code} ${entry.label}` : entry.label))
    .join('、');
}

function text(value: CellValue): string {
  if (value === undefined) return '';
  return value instanceof Date ? isoDay(value) : String(value);
}

/** The example's value of each column: resource columns from its first row, items from the first item. */
function exampleValues(layout: Layout, example: unknown): string[] {
  const rows = example === undefined ? [] : resourceRows(layout, example, 0);
  return layout.columns.map((column, index) => {
    const row =
      column.scope === 'resource' ? rows[0] : rows.find((candidate) => candidate.item !== undefined);
    return text(row?.cells[index]);
  });
}

/** The rows of the 填写说明 sheet. */
export function guideRows(
  layout: Layout,
  title: string,
  rules: readonly string[],
  example?: unknown,
): CellValue[][] {
  const examples = exampleValues(layout, example);
  return [
    [title],
    [],
    ...rules.map((rule, index) => [`规则 ${index + 1}`, rule]),
    [],
    ['列', '列名', '字段', '填写位置', '必填', '说明', '可选值', '示例'],
    ...layout.columns.map((column, index) => [
      columnLetter(index),
      column.header,
      column.kind === 'special' ? column.paths.join('、') : (column.paths[0] ?? ''),
      SCOPE[column.scope],
      column.required ? '是' : '',
      column.note,
      allowedValues(column),
      examples[index] ?? '',
    ]),
  ];
}
