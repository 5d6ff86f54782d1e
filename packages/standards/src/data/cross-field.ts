/**
 * Agreement between a resident ID number and the gender and birth date columns of the same row.
 * Characters 7–14 of the ID are the birth date and character 17 is odd for men, even for women
 * (GB 11643-1999). When they disagree the ID is taken as right — its check digit protects it —
 * and the finding goes on the gender or birth-date column, with the value derived from the ID as
 * the suggested fix.
 */
import { sayer, type CellProblem, type DataLang } from './data-checks.js';
import type { RowSchema, SchemaColumn } from './row-schema.js';

export interface CrossRule {
  id: SchemaColumn;
  gender?: SchemaColumn;
  birth?: SchemaColumn;
  /** Checks one row given its effective values (undefined where the cell was invalid). */
  check(
    value: (column: SchemaColumn) => string | undefined,
  ): { column: SchemaColumn; problem: CellProblem }[];
}

const GENDER_TABLE = 'gbt2261-1-gender';

function isBirthColumn(column: SchemaColumn): boolean {
  const { item } = column;
  return (
    item.dataType === 'D' && (item.name.includes('出生日期') || item.technicalName?.toUpperCase() === 'CSRQ')
  );
}

/** The rule for a schema, or undefined when it has no resident ID with a gender or birth date. */
export function compileCrossRule(schema: RowSchema, lang: DataLang): CrossRule | undefined {
  const id = schema.columns.find((column) => column.item.check === 'residentId');
  const gender = schema.columns.find((column) => column.item.codeTable === GENDER_TABLE);
  const birth = schema.columns.find(isBirthColumn);
  if (!id || (!gender && !birth)) return undefined;
  const say = sayer(lang);
  return {
    id,
    ...(gender ? { gender } : {}),
    ...(birth ? { birth } : {}),
    check(value) {
      const found: { column: SchemaColumn; problem: CellProblem }[] = [];
      const number = value(id);
      if (number === undefined || number.length !== 18) return found;
      const sex = value(gender ?? id);
      if (gender && sex !== undefined && (sex === '1' || sex === '2')) {
        const expected = Number(number.charCodeAt(16) - 0x30) % 2 === 1 ? '1' : '2';
        if (sex !== expected) {
          const label = (code: string): string =>
            say(code === '1' ? '男性' : '女性', code === '1' ? 'male' : 'female');
          const message = say(
            `性别为${label(sex)}，而${id.header}的第 17 位表示${label(expected)}`,
            `Gender is ${label(sex)} but character 17 of ${id.header} says ${label(expected)}`,
          );
          found.push({
            column: gender,
            problem: {
              code: 'DATA-GENDER-MISMATCH',
              severity: 'error',
              message,
              hint: say(
                '请核对性别和身份号码，以户籍登记为准。',
                'Check the gender and the ID number against the registration.',
              ),
              fix: expected,
            },
          });
        }
      }
      const day = birth ? value(birth) : undefined;
      if (birth && day !== undefined && day.length === 10) {
        const expected = `${number.slice(6, 10)}-${number.slice(10, 12)}-${number.slice(12, 14)}`;
        if (day !== expected) {
          const message = say(
            `出生日期 ${day} 与${id.header}中的出生日期 ${expected} 不一致`,
            `Birth date ${day} differs from ${expected} in ${id.header}`,
          );
          found.push({
            column: birth,
            problem: {
              code: 'DATA-BIRTHDATE-MISMATCH',
              severity: 'error',
              message,
              hint: say(
                '请核对出生日期和身份号码，以户籍登记为准。',
                'Check the birth date and the ID number against the registration.',
              ),
              fix: expected,
            },
          });
        }
      }
      return found;
    },
  };
}
