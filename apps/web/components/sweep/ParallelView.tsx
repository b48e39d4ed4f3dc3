'use client';
/**
 * A sweep's runs in parallel coordinates (Apache ECharts, SVG): settings and metrics on the axes,
 * one line per run in its method's colour. Dragging along an axis brushes it; the runs inside every
 * brush filter the results table and are highlighted on the curves (onBrush). Mouse only: the
 * table below gives the same rows to the keyboard.
 */
import { ParallelChart } from 'echarts/charts';
import { AriaComponent, ParallelComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { methodColor } from '@guidance-lab/experiments/palette';
import { parallelAxes } from '../../lib/parallel';
import type { Run } from '../../lib/types';

echarts.use([ParallelChart, ParallelComponent, AriaComponent, SVGRenderer]);

/** What ECharts documents for reading a parallel brush (its axisareaselected event): the series' items by active state. */
interface BrushedSeries {
  getRawIndicesByActiveState(state: 'active' | 'inactive'): number[];
}
const parallelSeries = (chart: echarts.ECharts) => (chart as unknown as { getModel(): { getSeries(): BrushedSeries[] } }).getModel().getSeries()[0];

/** `brushed`: the runs inside every brush (null: no brush), as the page holds them from onBrush. */
export function ParallelView({ runs, brushed, onBrush }: { runs: Run[]; brushed: Set<string> | null; onBrush(ids: Set<string> | null): void }) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  // The runs as last drawn: the brush's item indices point into it.
  const drawn = useRef<Run[]>([]);
  // The handler is bound once, with the chart.
  const report = useRef(onBrush);
  report.current = onBrush;
  const axes = parallelAxes(runs);
  const description = `${runs.length} runs on ${axes.length} axes: ${axes.map((a) => a.label).join(', ')}.`;

  useEffect(() => {
    const instance = echarts.init(el.current!, null, { renderer: 'svg' });
    chart.current = instance;
    // The page re-renders only when the brushed runs change, not at every event of a drag.
    let last: string | null = null;
    instance.on('axisareaselected', () => {
      const series = parallelSeries(instance);
      // No item inactive: no brush left.
      const ids = series.getRawIndicesByActiveState('inactive').length === 0 ? null : series.getRawIndicesByActiveState('active').map((i) => drawn.current[i].id);
      const key = ids && ids.slice().sort().join(',');
      if (key === last) return;
      last = key;
      report.current(ids && new Set(ids));
    });
    const resize = () => instance.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    drawn.current = runs;
    chart.current?.setOption(
      {
        aria: { enabled: true, label: { description } },
        animation: false,
        parallel: { left: 70, right: 70, top: 30, bottom: 30 },
        parallelAxis: axes.map((a, i) => ({
          id: a.key,
          dim: i,
          name: a.label,
          ...(a.categories ? { type: 'category', data: a.categories } : { type: 'value', scale: true }),
        })),
        series: [
          {
            type: 'parallel',
            lineStyle: { width: 1.5, opacity: 0.7 },
            inactiveOpacity: 0.08,
            activeOpacity: 0.9,
            data: runs.map((r) => ({ value: axes.map((a) => a.value(r) ?? '-'), lineStyle: { color: methodColor(r.method) } })),
          },
        ],
      },
      // Keep the brushes across updates: only the data and axes change.
      { replaceMerge: ['series'] },
    );
  }, [runs, description]);

  return (
    <section aria-labelledby="parallel-title">
      <h2 id="parallel-title">Runs in parallel coordinates</h2>
      <p className="muted">
        Drag along an axis to brush it (click the axis to clear); the results table and the curves then show only the runs inside every brush.{' '}
        <span data-testid="parallel-count">{brushed ? `${brushed.size} of ${runs.length} runs brushed.` : `All ${runs.length} runs.`}</span>
      </p>
      <div ref={el} className="parallel-chart" role="img" aria-label={`Parallel coordinates of the sweep's runs. ${description}`} style={{ width: '100%', height: 360 }} />
    </section>
  );
}
