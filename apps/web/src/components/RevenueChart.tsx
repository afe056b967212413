import { intlLocale, type Reader } from '../i18n/format';
import { useI18n } from '../i18n/I18nProvider';

export interface MonthValue {
  month: string; // YYYY-MM
  amount: string;
}

const WIDTH = 640;
const HEIGHT = 220;
const PAD = { top: 16, bottom: 28, side: 48 };

/** Revenue per month as bars, drawn by hand in SVG; months run right to left in Arabic. */
export function RevenueChart({ data, currency }: { data: readonly MonthValue[]; currency: string }) {
  const { locale, digits, dir, formatAmount } = useI18n();
  const reader = { locale, digits };
  // Scale only: the bar heights are pixels, the printed figures stay exact strings.
  const values = data.map((d) => Number(d.amount));
  const max = niceMax(Math.max(0, ...values));
  const plotW = WIDTH - PAD.side * 2;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, data.length);
  const barW = Math.min(36, slot * 0.6);
  const monthName = new Intl.DateTimeFormat(intlLocale(reader), {
    calendar: 'gregory',
    month: 'short',
    timeZone: 'UTC',
  });
  const xOf = (i: number) => {
    const x = PAD.side + slot * i + slot / 2;
    return dir === 'rtl' ? WIDTH - x : x;
  };
  const ticks = [0, 0.25, 0.5, 0.75, 1];

  return (
    <svg
      className="chart"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label={data.map((d) => `${d.month}: ${d.amount} ${currency}`).join(', ')}
      data-testid="revenue-chart"
    >
      {ticks.map((f) => {
        const y = PAD.top + plotH * (1 - f);
        const labelX = dir === 'rtl' ? WIDTH - PAD.side + 8 : PAD.side - 8;
        return (
          <g key={f}>
            <line x1={PAD.side} x2={WIDTH - PAD.side} y1={y} y2={y} className="chart-grid" />
            <text x={labelX} y={y + 4} className="chart-axis" textAnchor={dir === 'rtl' ? 'start' : 'end'}>
              {compact(max * f, reader)}
            </text>
          </g>
        );
      })}
      {data.map((d, i) => {
        const value = values[i] ?? 0;
        const h = max > 0 ? (value / max) * plotH : 0;
        const x = xOf(i);
        const [y, m] = d.month.split('-').map(Number);
        return (
          <g key={d.month}>
            <rect
              x={x - barW / 2}
              y={PAD.top + plotH - h}
              width={barW}
              height={Math.max(h, value > 0 ? 2 : 0)}
              rx={4}
              className="chart-bar"
            >
              <title>
                {d.month}: {formatAmount(d.amount, currency)} {currency}
              </title>
            </rect>
            <text x={x} y={HEIGHT - 8} className="chart-axis" textAnchor="middle">
              {y && m ? monthName.format(new Date(Date.UTC(y, m - 1, 1))) : d.month}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

function niceMax(value: number): number {
  if (value <= 0) return 1000;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const steps = [1, 2, 2.5, 5, 10];
  return (steps.find((s) => s * magnitude >= value) ?? 10) * magnitude;
}

function compact(value: number, reader: Reader): string {
  return new Intl.NumberFormat(intlLocale(reader), {
    notation: 'compact',
    maximumFractionDigits: 1,
  }).format(value);
}
