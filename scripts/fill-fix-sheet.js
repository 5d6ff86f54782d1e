// Fills the 更正值 (correction) column of a fix sheet of the household-population fixture as the
// department's officer would, where the hub has no suggestion: shared by `pnpm demo` and the e2e
// test. `wrongNation` leaves one value still wrong (民族 99), to show a correction refused.
import { createRequire } from 'node:module';
import { residentIdCheckDigit } from '@minjiang/standards';

// exceljs is the SDK's dependency, not the root's.
const ExcelJS = createRequire(new URL('../packages/sdk/package.json', import.meta.url))('exceljs');

/** A valid resident ID under 350102 for a birth date and a sequence (odd: male). */
export function residentId(birth, sequence) {
  const first17 = `350102${birth.replace(/-/g, '')}${String(sequence).padStart(3, '0')}`;
  return first17 + String(residentIdCheckDigit(first17));
}

function correction(code, cell, wrongNation) {
  const id = cell('公民身份号码').replace(/^'/, '');
  const suggested = cell('建议修正') !== '';
  if (code === 'DATA-RESIDENT-ID' && !suggested)
    return id.slice(0, 17) + String(residentIdCheckDigit(id.slice(0, 17)));
  if (code === 'DATA-BIRTHDATE-MISMATCH' && !suggested)
    return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (code === 'DATA-GENDER-MISMATCH' && !suggested) return Number(id[16]) % 2 ? '1' : '2';
  if (code === 'DATA-CODE') return wrongNation ? '99' : '01';
  if (code === 'DATA-LENGTH') return '350102000001';
  if (code === 'DATA-REQUIRED') return '张三';
  if (code === 'DATA-DUPLICATE-KEY') return residentId(cell('出生日期'), cell('性别') === '1' ? 901 : 902);
  return undefined;
}

/** Writes the corrections into the xlsx fix sheet at `path`, in place. */
export async function fillFixSheet(path, { wrongNation = false } = {}) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  const sheet = workbook.worksheets[0];
  const header = sheet.getRow(1).values.slice(1).map(String);
  sheet.eachRow((row, index) => {
    if (index === 1) return;
    const cell = (title) => String(row.getCell(header.indexOf(title) + 1).value ?? '');
    const code = /（(DATA-[A-Z-]+)）$/.exec(cell('问题'))?.[1];
    const value = correction(code, cell, wrongNation);
    if (value !== undefined) row.getCell(header.indexOf('更正值') + 1).value = value;
  });
  await workbook.xlsx.writeFile(path);
}
