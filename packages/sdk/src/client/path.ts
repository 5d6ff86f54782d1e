/** Path segments are always encoded: a resource code's "/" travels as %2F. */
export function encodePath(strings: TemplateStringsArray, ...values: (string | number)[]): string {
  return strings.reduce(
    (path, part, index) =>
      path + part + (index < values.length ? encodeURIComponent(String(values[index])) : ''),
    '',
  );
}
