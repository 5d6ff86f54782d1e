/**
 * Masking of sensitive values in findings, so a report can be mailed back to the department
 * without copying personal data: identifiers keep their first and last four characters
 * (3501**********1234), enough to find the row; short text keeps its first character (张*).
 */
export function maskValue(value: string): string {
  const chars = Array.from(value);
  if (chars.length >= 10)
    return chars.slice(0, 4).join('') + '*'.repeat(chars.length - 8) + chars.slice(-4).join('');
  if (chars.length >= 2) return (chars[0] ?? '') + '*'.repeat(chars.length - 1);
  return chars.length === 1 ? '*' : '';
}
