// Exact product of two decimal strings, for the one figure a profile derives (a total converted to the tax
// currency); the totals engine rounds it (roundMoney). BigInt on the digits: never a binary float.
const DECIMAL = /^([-+]?)(\d*)(?:\.(\d*))?$/;

export function multiplyDecimals(a: string, b: string): string {
  const x = DECIMAL.exec(a.trim());
  const y = DECIMAL.exec(b.trim());
  if (!x || !y) throw new Error(`not a decimal: ${!x ? a : b}`);
  const scale = (x[3] ?? '').length + (y[3] ?? '').length;
  const digits = (m: RegExpExecArray) => BigInt(`${m[2] || '0'}${m[3] ?? ''}`);
  const product = digits(x) * digits(y);
  const negative = (x[1] === '-') !== (y[1] === '-') && product !== 0n;
  const text = product.toString().padStart(scale + 1, '0');
  const int = text.slice(0, text.length - scale);
  const frac = text.slice(text.length - scale);
  return `${negative ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
}
