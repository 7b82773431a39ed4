import type { ComponentChildren } from 'preact';

/** A chart's data as a table: the first column names the row (e.g. the period), the others are values. */
export interface ChartTable {
  caption: string;
  columns: string[];
  rows: (string | number | null)[][];
}

const defaultNumberFormat = new Intl.NumberFormat('en', { maximumFractionDigits: 6 });

/**
 * A chart from renderChart() with its caption, and its data as a table behind a disclosure for
 * screen-reader and keyboard users (and anyone who wants the exact figures). The SVG is trusted:
 * only output of renderChart() may be passed in.
 */
export function ChartFigure({
  svg,
  caption,
  table,
  tableLabel,
  formatNumber = (n) => defaultNumberFormat.format(n),
}: {
  svg: string;
  caption: ComponentChildren;
  /** The chart's figures as a table; leave out only where the page shows the same figures in a table beside it. */
  table?: ChartTable | undefined;
  /** The disclosure's text, localised by the caller ("Data table"). */
  tableLabel?: string;
  /** How values are written in the table (default: digits grouped with commas, as all three languages do). */
  formatNumber?: (n: number) => string;
}) {
  return (
    <figure class="chart">
      <div class="chart-image" dangerouslySetInnerHTML={{ __html: svg }} />
      <figcaption>{caption}</figcaption>
      {table && (
        <details class="chart-data">
          <summary>{tableLabel}</summary>
          <div class="table-scroll">
            <table>
              <caption>{table.caption}</caption>
              <thead>
                <tr>
                  {table.columns.map((column) => (
                    <th scope="col">{column}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {table.rows.map(([head = null, ...cells]) => (
                  <tr>
                    {/* The row's name is a label even when it is a number (a year): not grouped, not right-aligned. */}
                    <th scope="row">{head === null ? '–' : String(head)}</th>
                    {cells.map((cell) => (cell === null ? <td class="num">–</td> : typeof cell === 'number' ? <td class="num">{formatNumber(cell)}</td> : <td>{cell}</td>))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}
    </figure>
  );
}
