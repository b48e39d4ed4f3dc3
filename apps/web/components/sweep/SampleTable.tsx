'use client';
/**
 * One class's samples in a table: a row per series (of one sweep, or "sweep: series" across
 * sweeps), a column per guidance scale, the same seeds in every cell. A cell enlarges on click.
 */
import type { SampleRow } from '../../lib/samples';
import { ProgressBar } from '../Status';
import { ClassRow } from './ClassRow';

/** CSS px of a sample: pixel-doubled small images (28 px digits → 56), big panels (toy2d's 160) shrunk to fit. */
export const cellPx = (grid: { cellSize: number }, zoom: boolean) => Math.min((zoom ? 4 : 2) * grid.cellSize, zoom ? 320 : 128);

export function SampleTable({ scales, rows, cls, className, shown, onZoom }: { scales: number[]; rows: SampleRow[]; cls: number; className: string; shown: number; onZoom?(runId: string): void }) {
  return (
    <div className="samples">
      <table>
        <thead>
          <tr>
            <th scope="col">Guidance</th>
            {scales.map((s) => (
              <th scope="col" key={s}>
                s = {s} <span className="muted">(w = {(s - 1).toFixed(2)})</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              <th scope="row">{row.label}</th>
              {row.cells.map((run, i) => (
                <td key={scales[i]}>
                  {run?.grid ? (
                    onZoom ? (
                      <button type="button" className="crop" onClick={() => onZoom(run.id)} aria-label={`Enlarge ${className} samples of ${row.label} at s = ${run.scale}`}>
                        <ClassRow grid={run.grid} cls={cls} cell={cellPx(run.grid, false)} samples={shown} alt={`${className}, ${row.label}, s = ${run.scale}`} />
                      </button>
                    ) : (
                      <ClassRow grid={run.grid} cls={cls} cell={cellPx(run.grid, false)} samples={shown} alt={`${className}, ${row.label}, s = ${run.scale}`} />
                    )
                  ) : run ? (
                    <span className="pending">
                      {run.status === 'failed' ? 'failed' : run.phase} <ProgressBar value={run.progress} label={`${row.label} at s = ${run.scale}`} />
                    </span>
                  ) : (
                    <span className="muted">–</span>
                  )}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
