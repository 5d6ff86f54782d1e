/**
 * The columns of the Minjiang catalog template (xlsx sheet 目录, and CSV): every field of the
 * catalog-resource schema 1.0, resource fields first, then the information-item fields.
 */
import type { ColumnChoices, ColumnDef, ValueKind } from './columns.js';
import type { Layout } from './tabular.js';

type Extra = Partial<Pick<ColumnDef, 'aliases' | 'choices' | 'required' | 'width'>>;

function resource(header: string, path: string, kind: ValueKind, note: string, extra: Extra = {}): ColumnDef {
  return { header, paths: [path], kind, scope: 'resource', note, ...extra };
}

function item(header: string, path: string, kind: ValueKind, note: string, extra: Extra = {}): ColumnDef {
  return { header, paths: [`items.${path}`], kind, scope: 'item', note, ...extra };
}

const table = (name: string): ColumnChoices => ({ table: name });
/** 是/否 columns get a dropdown too; 是否 is not a code table of the standards. */
export const YES_NO: ColumnChoices = { title: '是否', values: ['是', '否'] };

const STATISTICS_NOTE = '信息资源普查数据，只填数字；不清楚时填 0。';

export const RESOURCE_COLUMNS: readonly ColumnDef[] = [
  resource(
    '信息资源代码',
    'code',
    'text',
    '前段码（类1位+项2位+目3位+细目）“/”后段码（顺序码），如 3350010001/000001。',
    {
      required: true,
      width: 22,
    },
  ),
  resource('信息资源名称', 'name', 'text', '资源的规范名称，不用信息系统名称代替。', {
    required: true,
    width: 24,
  }),
  resource('资源属性分类', 'resourceClass', 'text', '基础、主题或部门信息资源。', {
    required: true,
    choices: table('resource-class'),
    width: 14,
  }),
  resource('所属主题', 'subject', 'text', '人、地、事、物、组织或其他。', {
    choices: table('resource-subject'),
  }),
  resource('提供方名称', 'provider.name', 'text', '信息资源提供单位的全称。', { required: true, width: 22 }),
  resource('提供方统一社会信用代码', 'provider.uscc', 'text', '18 位统一社会信用代码，字母大写。', {
    required: true,
    width: 22,
  }),
  resource('提供方行政区划代码', 'provider.regionCode', 'text', '6 位 GB/T 2260 代码，如 350100。', {
    width: 12,
  }),
  resource('下设机构', 'subUnit', 'text', '具体负责的内设或下设机构。', { width: 16 }),
  resource('信息资源摘要', 'summary', 'text', '资源内容、用途的说明，不超过 1000 字。', {
    required: true,
    width: 40,
  }),
  resource('关键字', 'keywords', 'list', '多个关键字用顿号“、”分隔，最多 20 个。', { width: 18 }),
  resource('关联业务事项', 'relatedMatters', 'list', '产生或使用该资源的政务服务事项，用顿号分隔。', {
    width: 24,
  }),
  resource('所属信息系统', 'system', 'text', '资源所在的信息系统名称。', { width: 20 }),
  resource('信息资源格式分类', 'format.category', 'text', '电子文件、电子表格、数据库等。', {
    required: true,
    choices: table('format-category'),
    width: 14,
  }),
  resource('信息资源格式类型', 'format.type', 'text', '小写，如 oracle、mysql、xlsx、pdf。', { width: 14 }),
  resource('其他类型资源格式描述', 'format.otherDescription', 'text', '格式分类为“其他”时说明格式。', {
    width: 18,
  }),
  resource('共享类型', 'sharing.type', 'text', '无条件共享、有条件共享或不予共享。', {
    required: true,
    choices: table('share-type'),
    width: 12,
  }),
  resource('共享条件', 'sharing.condition', 'text', '有条件共享写明条件；无条件共享写“无条件”。', {
    aliases: ['共享条件/不予共享依据'],
    width: 30,
  }),
  resource('共享依据', 'sharing.legalBasis', 'text', '有条件或不予共享时引用的法律、行政法规或政策。', {
    width: 30,
  }),
  resource('共享方式分类', 'sharing.methodCategory', 'text', '共享平台方式、邮件方式或介质方式。', {
    choices: table('share-method-category'),
    width: 14,
  }),
  resource('共享方式类型', 'sharing.methodTypes', 'list', '数据库、接口、文件，可多选，用顿号分隔。', {
    choices: table('share-method-type'),
    width: 14,
  }),
  resource(
    '开放类型',
    'opening.type',
    'text',
    '无条件开放、有条件开放或不予开放；不予共享的资源必须不予开放。',
    {
      required: true,
      choices: table('open-type'),
      width: 12,
    },
  ),
  resource('开放条件', 'opening.condition', 'text', '有条件开放时写明条件。', { width: 24 }),
  resource('更新周期', 'updateCycle', 'text', '实时、每日、每周……不定期。', {
    required: true,
    choices: table('update-cycle'),
    width: 10,
  }),
  resource('发布日期', 'publishedAt', 'date', '格式 YYYY-MM-DD，如 2024-01-15。', {
    required: true,
    width: 12,
  }),
  resource('数据分级', 'grading.level', 'text', '按 GB/T 43697-2024：核心数据、重要数据、一般数据1–4级。', {
    required: true,
    choices: table('grading-level'),
    width: 14,
  }),
  resource('是否涉密', 'grading.classified', 'boolean', '是或否。涉密数据不在本平台编目。', {
    choices: YES_NO,
    width: 10,
  }),
  resource('应用场景分类', 'scenario', 'text', '政务服务、公共服务、监管或其他。', {
    choices: table('scenario-class'),
    width: 12,
  }),
  resource('空间范围', 'spatialScope', 'text', '数据覆盖的地域，如 全省、福州市。', { width: 12 }),
  resource('数据起始日期', 'timeRange.from', 'date', '数据时间范围的起点，YYYY-MM-DD。', { width: 12 }),
  resource('数据截止日期', 'timeRange.to', 'date', '数据时间范围的终点，YYYY-MM-DD。', { width: 12 }),
  resource('数据同步机制', 'syncMode', 'text', '增量或全量。', {
    choices: { title: '数据同步机制', values: ['增量', '全量'] },
    width: 12,
  }),
  resource('关联资源代码', 'relatedResources', 'list', '相关资源的信息资源代码，用顿号分隔。', { width: 22 }),
  resource('数据存储总量(GB)', 'statistics.storageGB', 'number', STATISTICS_NOTE, { width: 12 }),
  resource('结构化信息记录总数', 'statistics.records', 'number', STATISTICS_NOTE, { width: 14 }),
  resource('已共享的数据存储量(GB)', 'statistics.sharedStorageGB', 'number', STATISTICS_NOTE, { width: 14 }),
  resource('已共享的结构化记录数', 'statistics.sharedRecords', 'number', STATISTICS_NOTE, { width: 14 }),
  resource('已开放的数据存储量(GB)', 'statistics.openStorageGB', 'number', STATISTICS_NOTE, { width: 14 }),
  resource('已开放的结构化记录数', 'statistics.openRecords', 'number', STATISTICS_NOTE, { width: 14 }),
];

export const ITEM_COLUMNS: readonly ColumnDef[] = [
  item('信息项名称', 'name', 'text', '每行一个信息项；同一资源内不得重名。', { required: true, width: 18 }),
  item('信息项技术名称', 'technicalName', 'text', '字段名：字母开头，字母、数字、下划线。', { width: 16 }),
  item('数据类型', 'dataType', 'text', 'C 字符型、N 数值型、D 日期型、T 日期时间型等。', {
    required: true,
    choices: table('item-data-type'),
    width: 10,
  }),
  item('数据长度', 'length', 'integer', '整数，1–65535。', { width: 10 }),
  item('小数位数', 'precision', 'integer', '整数，0–38。', { width: 10 }),
  item('信息项描述', 'description', 'text', '含义、取值说明。', { width: 24 }),
  item('是否主键', 'isKey', 'boolean', '是或否。', { choices: YES_NO, width: 10 }),
  item('是否必填', 'required', 'boolean', '是或否。', { choices: YES_NO, width: 10 }),
  item('是否时间戳', 'isTimestamp', 'boolean', '是或否；每个资源最多一个，用于增量同步。', {
    choices: YES_NO,
    width: 10,
  }),
  item('是否敏感', 'sensitive', 'boolean', '是或否。', { choices: YES_NO, width: 10 }),
  item(
    '值校验',
    'check',
    'text',
    'residentId 身份证号、uscc 统一社会信用代码、orgCode 组织机构代码、regionCode 行政区划代码。',
    {
      choices: { title: '值校验', values: ['residentId', 'uscc', 'orgCode', 'regionCode'] },
      width: 12,
    },
  ),
  item('关联码表', 'codeTable', 'text', '标准码表名，如 gb2260、gbt2261-1-gender。', { width: 16 }),
  item('关联数据元', 'dataElement', 'text', '对应的数据元名称或标识。', { width: 16 }),
  item('信息项共享类型', 'shareType', 'text', '与资源不同时才填。', {
    choices: table('share-type'),
    width: 12,
  }),
  item('信息项共享条件', 'shareCondition', 'text', '信息项为有条件或不予共享时写明条件或依据。', {
    width: 24,
  }),
  item('信息项开放类型', 'openType', 'text', '与资源不同时才填。', {
    choices: table('open-type'),
    width: 12,
  }),
];

/** The Minjiang template: every resource column, then every item column. */
export const MINJIANG_COLUMNS: readonly ColumnDef[] = [...RESOURCE_COLUMNS, ...ITEM_COLUMNS];

export const MINJIANG_LAYOUT: Layout = { id: 'minjiang', columns: MINJIANG_COLUMNS };
