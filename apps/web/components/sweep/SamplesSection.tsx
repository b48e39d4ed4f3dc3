'use client';
/**
 * Samples side by side: for one class and seed, a row of grids across every scale (same seeds,
 * so only guidance changes), and a second guidance setting aligned beneath it. Click to enlarge.
 */
import { useEffect, useRef } from 'react';
import { apiHref } from '../../lib/api';
import { sampleChoice, sampleRows, seriesOptions } from '../../lib/samples';
import type { Run } from '../../lib/types';
import { useApi } from '../ApiProvider';
import { Select } from '../Select';
import { ClassRow } from './ClassRow';
import { SampleControls } from './SampleControls';
import { SampleSliders } from './SampleSliders';
import { cellPx, SampleTable } from './SampleTable';

export interface SampleSelection {
  cls: number;
  seed: number;
  a: string | null;
  b: string | null;
  shown: number;
  zoom: string | null;
}

const SHOWN = [1, 2, 4, 8, 16, 32];

export function SamplesSection({ runs, sel, onChange }: { runs: Run[]; sel: SampleSelection; onChange(changes: Partial<SampleSelection>): void }) {
  const { config } = useApi();
  const options = seriesOptions(runs);
  const a = sel.a && options.some((o) => o.key === sel.a) ? sel.a : (options[0]?.key ?? null);
  const b = sel.b && sel.b !== a && options.some((o) => o.key === sel.b) ? sel.b : null;
  const { seeds, seed, classNames, cls } = sampleChoice(runs, sel.seed, sel.cls);
  const { scales, rows } = sampleRows(runs, [a, b].filter((k): k is string => k !== null), seed);
  const zoomRun = runs.find((r) => r.id === sel.zoom && r.grid) ?? null;
  const className = (i: number) => classNames[i] ?? `class ${i}`;

  return (
    <section aria-labelledby="samples-title">
      <h2 id="samples-title">Samples side by side</h2>
      <SampleControls prefix="samples" classNames={classNames} cls={cls} seeds={seeds} seed={seed} shown={sel.shown} shownOptions={SHOWN} onChange={onChange}>
        <Select id="samples-a" label="Top row" value={a ?? ''} onChange={(v) => onChange({ a: v })}>
          {options.map((o) => (
            <option key={o.key} value={o.key}>
              {o.label}
            </option>
          ))}
        </Select>
        <Select id="samples-b" label="Compare with" value={b ?? ''} onChange={(v) => onChange({ b: v || null })}>
          <option value="">(nothing)</option>
          {options
            .filter((o) => o.key !== a)
            .map((o) => (
              <option key={o.key} value={o.key}>
                {o.label}
              </option>
            ))}
        </Select>
      </SampleControls>
      {classNames.length === 0 ? <p className="muted">No sample grid yet: they appear as runs finish.</p> : null}
      <SampleTable scales={scales} rows={rows} cls={cls} className={className(cls)} shown={sel.shown} onZoom={(runId) => onChange({ zoom: runId })} />
      <SampleSliders scales={scales} rows={rows} cls={cls} className={className(cls)} shown={sel.shown} />
      <ZoomDialog run={zoomRun} cls={cls} className={className(cls)} onClose={() => onChange({ zoom: null })}>
        {zoomRun?.grid ? (
          <>
            <ClassRow grid={zoomRun.grid} cls={cls} cell={cellPx(zoomRun.grid, true)} samples={zoomRun.grid.cols} alt={`${className(cls)} samples, enlarged`} />
            <h3>All classes</h3>
            <img className="whole-grid" src={apiHref(config, zoomRun.grid.url)} alt="The whole sample grid, every class" />
          </>
        ) : null}
      </ZoomDialog>
    </section>
  );
}

function ZoomDialog({ run, cls, className, onClose, children }: { run: Run | null; cls: number; className: string; onClose(): void; children: React.ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (run && !dialog.open) dialog.showModal();
    if (!run && dialog.open) dialog.close();
  }, [run]);
  return (
    <dialog ref={ref} className="zoom" onClose={onClose} aria-labelledby="zoom-title">
      {run ? (
        <>
          <h3 id="zoom-title">
            {className} (row {cls + 1}): {run.methodLabel}, p_uncond {run.pUncond}, s = {run.scale}, seed {run.seed}
          </h3>
          <div className="zoom-body">{children}</div>
          <form method="dialog">
            <button type="submit" autoFocus>
              Close
            </button>
          </form>
        </>
      ) : null}
    </dialog>
  );
}
