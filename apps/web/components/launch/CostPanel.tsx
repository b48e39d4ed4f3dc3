/**
 * The grid's size and what it will take, shown beside the form before launching: counts from the
 * grid expansion; models already trained and the time from the API (this deployment's speed).
 */
import type { PlanResult } from '../../app/launch/plan';
import { formatCount, formatDuration } from '../../lib/format';
import type { Estimate } from '../../lib/types';

export function CostPanel({ plan, estimate, pending }: { plan: PlanResult | null; estimate: Estimate | null; pending: boolean }) {
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
            <dt>Models needed</dt>
            <dd data-testid="plan-models">{plan.cost.models}</dd>
            <dt>Already trained (reused)</dt>
            <dd data-testid="plan-trained">{estimate ? estimate.modelsTrained : '…'}</dd>
            <dt>Classes</dt>
            <dd>{plan.cost.classes ?? 'from the files'}</dd>
            <dt>Training examples still to see</dt>
            <dd>{formatCount(estimate?.trainExamples ?? plan.cost.trainExamples)}</dd>
            <dt>Sampling network calls</dt>
            <dd>{formatCount(plan.cost.samplingEvals)}</dd>
            <dt>Estimated time</dt>
            <dd data-testid="plan-time">{estimate ? formatDuration(estimate.seconds * 1000) : '…'}</dd>
          </dl>
          <p className="muted">
            {estimate ? `Time from ${estimate.basis}. ` : ''}The API refuses grids over its run limit (GUIDANCE_MAX_RUNS, 200 by default).
          </p>
        </>
      ) : null}
    </section>
  );
}
