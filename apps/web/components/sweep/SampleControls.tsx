'use client';
/**
 * The class, seed and samples-shown pickers of a side-by-side sample view (the sweep page's and the
 * comparison page's; ids `<prefix>-class`, `-seed`, `-shown`). The seed picker shows only when there
 * is more than one seed; `children` (more pickers) go between it and the samples shown.
 */
import { Select } from '../Select';

export function SampleControls({
  prefix,
  classNames,
  cls,
  seeds,
  seed,
  shown,
  shownOptions,
  onChange,
  children,
}: {
  prefix: string;
  classNames: string[];
  cls: number;
  seeds: number[];
  seed: number;
  shown: number;
  shownOptions: number[];
  onChange(changes: { cls?: number; seed?: number; shown?: number }): void;
  children?: React.ReactNode;
}) {
  return (
    <div className="controls">
      <Select id={`${prefix}-class`} label="Class" value={cls} onChange={(v) => onChange({ cls: Number(v) })} disabled={classNames.length === 0}>
        {classNames.map((name, i) => (
          <option key={i} value={i}>
            {name}
          </option>
        ))}
      </Select>
      {seeds.length > 1 ? (
        <Select id={`${prefix}-seed`} label="Seed" value={seed} onChange={(v) => onChange({ seed: Number(v) })}>
          {seeds.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </Select>
      ) : null}
      {children}
      <Select id={`${prefix}-shown`} label="Samples shown" value={shown} onChange={(v) => onChange({ shown: Number(v) })}>
        {shownOptions.map((n) => (
          <option key={n}>{n}</option>
        ))}
      </Select>
    </div>
  );
}
