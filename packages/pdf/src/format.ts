// Formatting of values we are given. Amounts stay strings: we insert group separators and never parse them
// into numbers, so what is printed is exactly what the totals engine computed.

/** "1234567.50" → "1,234,567.50"; "-1200.00" → "-1,200.00". Non-numeric text is returned unchanged. */
export function formatAmount(amount: string): string {
  const match = /^([+-]?)(\d+)(\.\d+)?$/.exec(amount.trim());
  if (!match) return amount;
  const [, sign = '', integer = '', fraction = ''] = match;
  return `${sign}${integer.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction}`;
}

/** "15.00" → "15%", "12.50" → "12.5%", "0" → "0%". */
export function formatRate(rate: string): string {
  const trimmed = rate.includes('.') ? rate.replace(/0+$/, '').replace(/\.$/, '') : rate;
  return `${trimmed}%`;
}

/** Quantities as given, without trailing zeros after the point ("2.000" → "2"). */
export function formatQuantity(quantity: string): string {
  return quantity.includes('.') ? quantity.replace(/0+$/, '').replace(/\.$/, '') : quantity;
}

export function isZero(amount: string | undefined): boolean {
  return amount === undefined || /^[+-]?0*(\.0*)?$/.test(amount.trim());
}

/** ISO date and optional time as printed: "2024-03-15 10:30:00". */
export function formatDateTime(date: string, time?: string): string {
  return time ? `${date} ${time}` : date;
}
