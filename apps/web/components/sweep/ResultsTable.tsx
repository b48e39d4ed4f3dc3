'use client';
/** Every run with its settings and scores, sortable by any column, with the API's CSV and JSON exports. */
import { apiHref } from '../../lib/api';
import { formatDuration } from '../../lib/format';
import { METRICS, formatMetric, metricValue } from '../../lib/metrics';
import { sortRows, type SortDir } from '../../lib/sort';
import type { Run } from '../../lib/types';
import { useApi } from '../ApiProvider';
import { StatusBadge } from '../Status';
import { SelectCell } from './SelectCell';

type Column = { key: string; label: string; numeric: boolean; value(run: Run): number | string | null; cell?(run: Run): React.ReactNode };

const COLUMNS: Column[] = [
  { key: 'guidance', label: 'Method', numeric: false, value: (r) => r.methodLabel },
  { key: 'pUncond', label: 'p_uncond', numeric: true, value: (r) => r.pUncond },
  { key: 'scale', label: 's', numeric: true, value: (r) => r.scale },
  { key: 'w', label: 'w', numeric: true, value: (r) => r.scale - 1, cell: (r) => (r.scale - 1).toFixed(2) },
  { key: 'seed', label: 'Seed', numeric: true, value: (r) => r.seed },
  { key: 'sampler', label: 'Sampler', numeric: false, value: (r) => `${r.sampler} ${r.steps}${r.sampler === 'ddim' ? ` η=${r.eta}` : ''}` },
  { key: 'status', label: 'Status', numeric: false, value: (r) => r.status, cell: (r) => <StatusBadge status={r.status} /> },
  { key: 'n', label: 'N', numeric: true, value: (r) => r.n },
  ...METRICS.map((m) => ({
    key: m.key,
    label: m.label,
    numeric: true,
    value: (r: Run) => metricValue(r.metrics, m.key),
    cell: (r: Run) => formatMetric(metricValue(r.metrics, m.key), m.key),
  })),
  { key: 'duration', label: 'Time', numeric: true, value: (r) => r.durationMs, cell: (r) => formatDuration(r.durationMs) },
];

export const SORT_KEYS = COLUMNS.map((c) => c.key);

export function ResultsTable({
  runs,
  sort,
  dir,
  selected,
  csvUrl,
  jsonUrl,
  onSort,
  onSelect,
}: {
  runs: Run[];
  sort: string;
  dir: SortDir;
  selected: string | null;
  csvUrl: string;
  jsonUrl: string;
  onSort(key: string, dir: SortDir): void;
  onSelect(runId: string): void;
}) {
  const { config } = useApi();
  const column = COLUMNS.find((c) => c.key === sort) ?? COLUMNS[0];
  const rows = sortRows(runs, column.value, dir);
  return (
    <section aria-labelledby="results-title">
      <h2 id="results-title">Results</h2>
      <p className="actions">
        <a className="button" href={apiHref(config, csvUrl)} download>
          Export CSV
        </a>
        <a className="button" href={apiHref(config, jsonUrl)} download>
          Export JSON
        </a>
      </p>
      <div className="scroll">
        <table>
          <thead>
            <tr>
              {COLUMNS.map((c) => (
                <th key={c.key} scope="col" className={c.numeric ? 'num' : undefined} aria-sort={c.key === column.key ? (dir === 'asc' ? 'ascending' : 'descending') : undefined}>
                  <button type="button" onClick={() => onSort(c.key, c.key === column.key && dir === 'asc' ? 'desc' : 'asc')}>
                    {c.label}
                    {c.key === column.key ? (dir === 'asc' ? ' ▲' : ' ▼') : ''}
                  </button>
                </th>
              ))}
              <th scope="col">Point</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} className={r.id === selected ? 'selected' : undefined}>
                {COLUMNS.map((c) => (
                  <td key={c.key} className={c.numeric ? 'num' : undefined}>
                    {c.cell ? c.cell(r) : (c.value(r) ?? '–')}
                  </td>
                ))}
                <SelectCell runId={r.id} selected={selected} label={`${r.methodLabel} p_uncond ${r.pUncond} s = ${r.scale} seed ${r.seed}`} onSelect={onSelect} />
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
