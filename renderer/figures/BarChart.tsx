// A horizontal bar chart in plain SVG (no chart library): one row per item,
// one bar per series, the value written at the end of each bar. The numbers
// are also in the table beside every chart, so the chart itself is an image
// with a short accessible name.
import { useId } from 'react';

export interface BarRow {
  key: string;
  label: string;
  /** One value per series (null: no bar). */
  values: readonly (number | null)[];
  /** What is written after each bar. */
  texts: readonly string[];
}

const WIDTH = 640;
const LABEL_WIDTH = 230;
const VALUE_WIDTH = 90;
const BAR_HEIGHT = 14;
const ROW_GAP = 8;

export function BarChart({
  label,
  rows,
  series,
  max,
  testId,
}: {
  label: string;
  rows: readonly BarRow[];
  series?: readonly string[];
  max?: number;
  testId?: string;
}) {
  const titleId = useId();
  const seriesCount = Math.max(1, ...rows.map((row) => row.values.length));
  const top = max ?? Math.max(0, ...rows.flatMap((row) => row.values.map((value) => value ?? 0)));
  const rowHeight = seriesCount * BAR_HEIGHT + (seriesCount - 1) * 2 + ROW_GAP;
  const legendHeight = series && series.length > 1 ? 22 : 0;
  const height = legendHeight + rows.length * rowHeight + 4;
  const barSpace = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const scale = (value: number) => (top > 0 ? Math.max(value > 0 ? 1 : 0, (value / top) * barSpace) : 0);

  return (
    <svg className="bar-chart" viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-labelledby={titleId} data-testid={testId} preserveAspectRatio="xMinYMin meet">
      <title id={titleId}>{label}</title>
      {legendHeight > 0
        ? series!.map((name, index) => (
            <g key={name} transform={`translate(${LABEL_WIDTH + index * 160}, 4)`}>
              <rect className={`bar bar-series-${index}`} width="12" height="12" />
              <text className="bar-text" x="18" y="10">
                {name}
              </text>
            </g>
          ))
        : null}
      {rows.map((row, rowIndex) => {
        const y = legendHeight + rowIndex * rowHeight;
        return (
          <g key={row.key} transform={`translate(0, ${y})`}>
            <text className="bar-text" x={LABEL_WIDTH - 8} y={(rowHeight - ROW_GAP) / 2 + 4} textAnchor="end">
              {row.label.length > 32 ? `${row.label.slice(0, 31)}…` : row.label}
            </text>
            {row.values.map((value, index) => {
              const barY = index * (BAR_HEIGHT + 2);
              const width = value === null ? 0 : scale(value);
              return (
                <g key={index}>
                  <rect className={`bar bar-series-${index}`} x={LABEL_WIDTH} y={barY} width={width} height={BAR_HEIGHT} rx="2" />
                  <text className="bar-text bar-value" x={LABEL_WIDTH + width + 6} y={barY + BAR_HEIGHT - 3}>
                    {row.texts[index] ?? ''}
                  </text>
                </g>
              );
            })}
          </g>
        );
      })}
    </svg>
  );
}
