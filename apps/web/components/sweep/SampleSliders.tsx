'use client';
/**
 * Two ways to look closer at the sample rows: a scale slider stepping one series' strip through
 * its scales (the same seeds, only s changes), and a wipe slider between two cells (two scales, or
 * two methods at one scale) drawn one over the other. Choices live in the URL (ss, cl, cr).
 */
import { useState } from 'react';
import type { SampleRow } from '../../lib/samples';
import type { Run } from '../../lib/types';
import { Select } from '../Select';
import { useUrlState } from '../useUrlState';
import { ClassRow } from './ClassRow';
import { cellPx } from './SampleTable';

interface Cell {
  id: string;
  label: string;
  run: Run;
}

export function SampleSliders({ scales, rows, cls, className, shown }: { scales: number[]; rows: SampleRow[]; cls: number; className: string; shown: number }) {
  const { params, set } = useUrlState();
  const [wipe, setWipe] = useState(50);
  const cells: Cell[] = rows.flatMap((row) => row.cells.flatMap((run, i) => (run?.grid ? [{ id: run.id, label: `${row.label}, s = ${scales[i]}`, run }] : [])));
  if (cells.length < 2) return null;
  const top = rows[0];
  const stepped = top.cells.map((run, i) => ({ run, s: scales[i] })).filter((c): c is { run: Run; s: number } => !!c.run?.grid);
  const step = Math.min(Math.max(0, Number(params.get('ss') ?? 0) || 0), stepped.length - 1);
  const left = cells.find((c) => c.id === params.get('cl')) ?? cells[0];
  const right = cells.find((c) => c.id === params.get('cr') && c.id !== left.id) ?? cells.find((c) => c.id !== left.id)!;
  const strip = (run: Run, alt: string) => <ClassRow grid={run.grid!} cls={cls} cell={cellPx(run.grid!, false)} samples={shown} alt={alt} />;

  return (
    <div className="sample-sliders">
      {stepped.length > 1 ? (
        <figure className="scale-slider">
          <figcaption>
            <label htmlFor="scale-step">
              {top.label}: step through the scales
            </label>{' '}
            <strong aria-live="polite">s = {stepped[step].s}</strong>
          </figcaption>
          <input
            id="scale-step"
            type="range"
            min={0}
            max={stepped.length - 1}
            step={1}
            value={step}
            aria-valuetext={`s = ${stepped[step].s}`}
            onChange={(e) => set({ ss: Number(e.target.value) || null })}
          />
          <div data-testid="scale-strip" data-run-id={stepped[step].run.id}>
            {strip(stepped[step].run, `${className}, ${top.label}, s = ${stepped[step].s}`)}
          </div>
        </figure>
      ) : null}
      <figure className="wipe">
        <figcaption className="controls">
          <Select id="wipe-left" label="Left" value={left.id} onChange={(v) => set({ cl: v })}>
            {cells.map((c) => (
              <option key={c.id} value={c.id}>
                {c.label}
              </option>
            ))}
          </Select>
          <Select id="wipe-right" label="Right" value={right.id} onChange={(v) => set({ cr: v })}>
            {cells
              .filter((c) => c.id !== left.id)
              .map((c) => (
                <option key={c.id} value={c.id}>
                  {c.label}
                </option>
              ))}
          </Select>
        </figcaption>
        <div className="wipe-stage">
          <div className="wipe-under" data-testid="wipe-right">
            {strip(right.run, `${className}, ${right.label}`)}
          </div>
          <div className="wipe-over" data-testid="wipe-left" style={{ clipPath: `inset(0 ${100 - wipe}% 0 0)` }}>
            {strip(left.run, `${className}, ${left.label}`)}
          </div>
        </div>
        <input type="range" min={0} max={100} value={wipe} onChange={(e) => setWipe(Number(e.target.value))} aria-label={`Wipe between ${left.label} (left) and ${right.label} (right)`} aria-valuetext={`${wipe}% ${left.label}`} />
      </figure>
    </div>
  );
}
