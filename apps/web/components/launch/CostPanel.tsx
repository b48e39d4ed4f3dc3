/** The grid's size and rough cost, shown beside the form before launching. */
import type { PlanResult } from '../../app/launch/plan';
import { formatCount, formatDuration } from '../../lib/format';

export function CostPanel({ plan, pending }: { plan: PlanResult | null; pending: boolean }) {
  return (
    <section className="cost" aria-labelledby="cost-title" aria-live="polite">
      <h2 id="cost-title">Size of the grid</h2>
      {plan === null ? <p className="muted">{pending ? 'Working it out…' : 'Fill in the form.'}</p> : null}
      {plan && !plan.ok ? (
        <p className="field-error">
          The spec has {plan.issues.length} problem{plan.issues.length > 1 ? 's' : ''}, flagged at the fields.
        </p>
      ) : null}
      {plan?.ok ? (
        <>
          <dl>
            <dt>Runs (grid points)</dt>
            <dd data-testid="plan-runs">{plan.cost.runs}</dd>
            <dt>Models to train</dt>
            <dd data-testid="plan-models">{plan.cost.models}</dd>
            <dt>Classes</dt>
            <dd>{plan.cost.classes ?? 'from the files'}</dd>
            <dt>Training examples</dt>
            <dd>{formatCount(plan.cost.trainExamples)}</dd>
            <dt>Sampling network calls</dt>
            <dd>{formatCount(plan.cost.samplingEvals)}</dd>
            <dt>Rough time, 2-core CPU</dt>
            <dd>{formatDuration(plan.cost.seconds * 1000)}</dd>
          </dl>
          <p className="muted">
            Models another sweep already trained are reused and cost nothing. The API refuses grids over its run limit (GUIDANCE_MAX_RUNS, 200 by default).
          </p>
        </>
      ) : null}
    </section>
  );
}
