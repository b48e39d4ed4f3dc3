'use client';
/**
 * Every sample of one run, a page at a time, filterable by class, each with the evaluator's
 * predicted class and confidence (misclassified ones marked), and the run's downloads.
 */
import { apiHref } from '../../lib/api';
import { SAMPLES } from '../../lib/queries';
import { seriesLabel } from '../../lib/tradeoff';
import type { Run, SamplePage } from '../../lib/types';
import { ApiErrorNotice } from '../ApiErrorNotice';
import { useApi } from '../ApiProvider';
import { Select } from '../Select';
import { usePoll } from '../usePoll';

export interface BrowseSelection {
  run: string | null;
  /** Class filter; −1 for all. */
  cls: number;
  page: number;
}

export const PAGE_SIZE = 48;

const runLabel = (r: Run) => `${seriesLabel(r.methodLabel, r.pUncond)}, s = ${r.scale}, seed ${r.seed}`;

export function SampleBrowser({ runs, evaluator, sel, onChange }: { runs: Run[]; evaluator: string | null; sel: BrowseSelection; onChange(changes: Partial<BrowseSelection>): void }) {
  const stored = runs.filter((r) => r.samplesNpzUrl);
  const run = stored.find((r) => r.id === sel.run) ?? stored[0] ?? null;
  return (
    <section aria-labelledby="browse-title">
      <h2 id="browse-title">Every sample</h2>
      {run ? (
        <RunSamples key={run.id} run={run} runs={stored} evaluator={evaluator} sel={sel} onChange={onChange} />
      ) : (
        <p className="muted">No stored samples yet: every sample of a run appears here once it has been scored.</p>
      )}
    </section>
  );
}

function RunSamples({ run, runs, evaluator, sel, onChange }: { run: Run; runs: Run[]; evaluator: string | null; sel: BrowseSelection; onChange(changes: Partial<BrowseSelection>): void }) {
  const { config } = useApi();
  const page = Math.max(0, sel.page);
  const { data, error } = usePoll<{ samples: SamplePage }>(
    SAMPLES,
    { runId: run.id, class: sel.cls >= 0 ? sel.cls : null, offset: page * PAGE_SIZE, limit: PAGE_SIZE, evaluator },
    null,
  );
  const samples = data?.samples ?? null;
  const classNames = samples?.classNames ?? run.grid?.classNames ?? [];
  const pages = samples ? Math.max(1, Math.ceil(samples.total / PAGE_SIZE)) : 1;
  const first = page * PAGE_SIZE;

  return (
    <>
      <div className="controls">
        <Select id="browse-run" label="Run" value={run.id} onChange={(v) => onChange({ run: v, page: 0 })}>
          {runs.map((r) => (
            <option key={r.id} value={r.id}>
              {runLabel(r)}
            </option>
          ))}
        </Select>
        <Select id="browse-class" label="Asked-for class" value={sel.cls} onChange={(v) => onChange({ cls: Number(v), page: 0 })}>
          <option value={-1}>all</option>
          {classNames.map((name, i) => (
            <option key={i} value={i}>
              {name}
            </option>
          ))}
        </Select>
        <span className="actions">
          <button type="button" disabled={page === 0} onClick={() => onChange({ page: page - 1 })}>
            Previous
          </button>
          <span aria-live="polite">{samples ? (samples.total ? `${first + 1}–${Math.min(first + PAGE_SIZE, samples.total)} of ${samples.total}` : 'none') : '…'}</span>
          <button type="button" disabled={page + 1 >= pages} onClick={() => onChange({ page: page + 1 })}>
            Next
          </button>
        </span>
        <a href={apiHref(config, run.samplesNpzUrl!)}>samples.npz</a>
        {run.samplesZipUrl ? <a href={apiHref(config, run.samplesZipUrl)}>samples.zip (PNGs)</a> : null}
      </div>
      <ApiErrorNotice error={error} />
      {samples && samples.evaluatorHash === null ? <p className="muted">No evaluator predictions stored for these samples.</p> : null}
      <ul className="sample-browser" aria-label={`Samples of ${runLabel(run)}`}>
        {samples?.items.map((item) => {
          const miss = item.predicted !== null && item.predicted !== item.label;
          const verdict =
            item.predicted === null ? '' : `${miss ? '✗' : '✓'} ${classNames[item.predicted] ?? item.predicted} ${((item.confidence ?? 0) * 100).toFixed(0)}%`;
          return (
            <li key={item.index} className={miss ? 'miss' : undefined}>
              {item.imageUrl ? (
                <img src={apiHref(config, item.imageUrl)} alt={`sample ${item.index}, asked for ${item.className}`} width={56} height={56} />
              ) : (
                <code>({item.point!.map((v) => v.toFixed(3)).join(', ')})</code>
              )}
              <span>
                #{item.index} {item.className}
              </span>
              <span title="the evaluator's most probable class and its probability">{verdict}</span>
            </li>
          );
        })}
      </ul>
    </>
  );
}
