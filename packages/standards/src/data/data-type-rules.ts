/**
 * The rules of the item data types (code table item-data-type): C, M and G carry text checked
 * for length; N and Y are decimals with length and precision; I integers; B and F floating
 * point; D dates; T date-times; L logical values.
 */
import { problem, type DataItem, type Say, type TypeRule } from './cell-problem.js';
import {
  booleanFix,
  charCount,
  decimalShape,
  isDateTime,
  isFloat,
  isIsoDate,
  reformatDate,
  reformatDateTime,
} from './data-values.js';

function lengthRule(item: DataItem, say: Say): TypeRule | undefined {
  const max = item.length;
  if (max === undefined) return undefined;
  return (value) => {
    if (value.length <= max) return undefined;
    const count = charCount(value);
    if (count <= max) return undefined;
    return problem(
      'DATA-LENGTH',
      say(
        `长度为 ${count} 个字符，超过该信息项的长度 ${max}`,
        `Has ${count} characters, more than the item's length ${max}`,
      ),
      say(
        '请核对内容是否填错列或多余；确需更长时请先变更目录中的数据长度。',
        'Check for a value in the wrong column; or change the length in the catalog first.',
      ),
    );
  };
}

function decimalRule(item: DataItem, say: Say): TypeRule {
  const precision = item.precision;
  const integerMax = item.length === undefined ? undefined : item.length - (precision ?? 0);
  return (value) => {
    const shape = decimalShape(value);
    if (!shape)
      return problem(
        'DATA-NUMBER',
        say('不是数值', 'Is not a number'),
        say(
          '数值只能含数字、小数点和正负号，不要带单位或千分位逗号。',
          'Digits, a decimal point and a sign only: no units or thousands separators.',
        ),
      );
    if (precision !== undefined && shape.fractionDigits > precision) {
      return problem(
        'DATA-PRECISION',
        say(
          `小数位数 ${shape.fractionDigits} 超过 ${precision}`,
          `Has ${shape.fractionDigits} decimals, more than ${precision}`,
        ),
      );
    }
    if (integerMax !== undefined && shape.integerDigits > integerMax) {
      return problem(
        'DATA-LENGTH',
        say(
          `整数部分有 ${shape.integerDigits} 位，超过 ${integerMax} 位`,
          `Has ${shape.integerDigits} integer digits, more than ${integerMax}`,
        ),
      );
    }
    return undefined;
  };
}

function integerRule(item: DataItem, say: Say): TypeRule {
  const decimal = decimalRule({ ...item, precision: 0 }, say);
  return (value) => {
    const found = decimal(value);
    if (found?.code === 'DATA-PRECISION')
      return problem('DATA-INTEGER', say('应为整数', 'Must be an integer'));
    return found;
  };
}

function dateRule(say: Say): TypeRule {
  return (value) => {
    if (isIsoDate(value)) return undefined;
    const fix = reformatDate(value);
    if (fix)
      return problem(
        'DATA-DATE-FORMAT',
        say(`日期应写成 YYYY-MM-DD，如 ${fix}`, `A date must be written YYYY-MM-DD, e.g. ${fix}`),
        say(
          '在 Excel 中把该列设为文本或自定义格式 yyyy-mm-dd 后重新导出。',
          'Format the column as text or yyyy-mm-dd in Excel and export again.',
        ),
        fix,
      );
    return problem('DATA-DATE', say('不是有效的日期（应为 YYYY-MM-DD）', 'Is not a valid date (YYYY-MM-DD)'));
  };
}

function dateTimeRule(say: Say): TypeRule {
  return (value) => {
    if (isDateTime(value)) return undefined;
    const fix = reformatDateTime(value);
    if (fix)
      return problem(
        'DATA-DATETIME-FORMAT',
        say(
          `日期时间应写成 YYYY-MM-DD HH:MM:SS，如 ${fix}`,
          `A date-time must be written YYYY-MM-DD HH:MM:SS, e.g. ${fix}`,
        ),
        undefined,
        fix,
      );
    return problem(
      'DATA-DATETIME',
      say('不是有效的日期时间（应为 YYYY-MM-DD HH:MM:SS）', 'Is not a valid date-time (YYYY-MM-DD HH:MM:SS)'),
    );
  };
}

function booleanRule(say: Say): TypeRule {
  return (value) => {
    if (value === 'true' || value === 'false' || value === '1' || value === '0') return undefined;
    const fix = booleanFix(value);
    return problem(
      'DATA-BOOLEAN',
      say('逻辑型的值应为 true/false 或 1/0', 'A logical value must be true/false or 1/0'),
      undefined,
      fix,
    );
  };
}

/** The rule of the item's data type (code table item-data-type). */
export function typeRule(item: DataItem, say: Say): TypeRule | undefined {
  switch (item.dataType) {
    case 'N':
    case 'Y':
      return decimalRule(item, say);
    case 'I':
      return integerRule(item, say);
    case 'B':
    case 'F':
      return (value) =>
        isFloat(value) ? undefined : problem('DATA-NUMBER', say('不是数值', 'Is not a number'));
    case 'D':
      return dateRule(say);
    case 'T':
      return dateTimeRule(say);
    case 'L':
      return booleanRule(say);
    default:
      // C, M (memo) and G (binary, carried as text): only the length applies.
      return lengthRule(item, say);
  }
}
