/** The fixed columns of a fix sheet; the original row's items follow them. */
export const FIX_SHEET_NAME = '问题数据';

export const FIX_COLUMNS = {
  ticket: '工单编号',
  problem: '问题编号',
  row: '行号',
  key: '主键',
  item: '信息项',
  value: '原值',
  issue: '问题',
  suggestion: '建议修正',
  correction: '更正值',
} as const;

export const FIXED_HEADER: string[] = Object.values(FIX_COLUMNS);

/** Index of the 更正值 column. */
export const CORRECTION_INDEX = FIXED_HEADER.indexOf(FIX_COLUMNS.correction);

/** Widths (characters) of the fixed columns; the row's items get 16. */
export const FIXED_WIDTHS = [24, 34, 8, 24, 14, 22, 40, 22, 22];
export const ITEM_WIDTH = 16;
