/** The GraphQL documents the dashboard sends (apps/api/src/schema.graphql). */

const SWEEP_SUMMARY = `id name preset status error createdAt startedAt finishedAt progress
  counts { total queued running succeeded failed cancelled }`;

export const SWEEPS = `query Sweeps($first: Int, $after: String, $status: JobStatus) {
  sweeps(first: $first, after: $after, status: $status) {
    nodes { ${SWEEP_SUMMARY} }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
  workers { id host backend alive currentJob lastHeartbeat }
}`;

const METRIC_FIELDS = 'fid is isStd kid kidStd precision recall density coverage adherence';
const POINT_FIELDS = 'fid is isStd kid precision recall density coverage adherence';

/** A run as the sweep page shows it ($evaluator: whose scores; null: the run's own evaluator's). */
const RUN_FIELDS = `id guidance method methodLabel pUncond scale w seed sampler steps eta samplesPerClass status attempts job { attempts maxAttempts } error phase progress n backend durationMs
      metrics(evaluatorHash: $evaluator) { ${METRIC_FIELDS} }
      floor(evaluatorHash: $evaluator) { ${METRIC_FIELDS} }
      evaluatorAccuracy(evaluatorHash: $evaluator) evaluatorReliable(evaluatorHash: $evaluator)
      grid { url rows cols cellSize classNames }
      samplesNpzUrl samplesZipUrl`;

const MODEL_FIELDS = `id key kind config status attempts job { attempts maxAttempts } error step totalSteps progress curve backend startedAt`;

const TRADEOFF_FIELDS = `sweepId sweepName guidance method methodParams pUncond label
      points { scale w seeds runIds ${POINT_FIELDS} std { ${POINT_FIELDS} } gridUrl }`;

const EVALUATOR_FIELDS = `evaluators { hash own runsScored } rescores { status }`;

/**
 * $evaluator: the evaluator hash whose scores to show (null: each run's own). The trade-off is not
 * in it: TRADEOFF fetches it beside this (or the page's server did), so the chart comes first.
 */
export const SWEEP = `query Sweep($id: ID!, $evaluator: String) {
  sweep(id: $id) {
    ${SWEEP_SUMMARY}
    spec resultsCsvUrl resultsJsonUrl
    runs { ${RUN_FIELDS} }
    models { ${MODEL_FIELDS} }
    ${EVALUATOR_FIELDS}
  }
}`;

/** The trade-off alone: small, so the chart can be drawn before the rest of the sweep arrives. */
export const TRADEOFF = `query Tradeoff($id: ID!, $evaluator: String) { tradeoff(sweepId: $id, evaluatorHash: $evaluator) { ${TRADEOFF_FIELDS} } }`;

/**
 * Live progress: what changes while a sweep runs (a run's full record is fetched by runsQuery once
 * it ends; models are small and sent whole). The server sends it on every change and once at the start.
 */
export const SWEEP_PROGRESS = `subscription SweepProgress($id: ID!) {
  sweepProgress(id: $id) {
    ${SWEEP_SUMMARY}
    runs { id status attempts job { attempts maxAttempts } error phase progress }
    models { ${MODEL_FIELDS} }
  }
}`;

/** Only the re-scorings' states, watched while one is going on (the progress stream does not cover them). */
export const RESCORES = `query Rescores($id: ID!) { sweep(id: $id) { id ${EVALUATOR_FIELDS} } }`;

/**
 * Runs whose record changed, each by alias; with `scores` (the last request of a batch), also the
 * trade-off and evaluators that their scores change.
 */
export function runsQuery(count: number, scores: boolean): string {
  const vars = Array.from({ length: count }, (_, i) => `, $r${i}: ID!`).join('');
  const runs = Array.from({ length: count }, (_, i) => `r${i}: run(id: $r${i}) { ...LiveRun }`).join('\n  ');
  const rest = scores ? `\n  tradeoff(sweepId: $id, evaluatorHash: $evaluator) { ${TRADEOFF_FIELDS} }\n  sweep(id: $id) { id ${EVALUATOR_FIELDS} }` : '';
  return `query ChangedRuns(${scores ? '$id: ID!, ' : ''}$evaluator: String${vars}) {
  ${runs}${rest}
}
fragment LiveRun on Run { ${RUN_FIELDS} }`;
}

/** Runs per runsQuery request (the API allows 15 aliases a request). */
export const RUNS_PER_QUERY = 10;

export const EXTEND_SWEEP = `mutation Extend($id: ID!, $scales: [Float!], $seeds: [Int!], $methods: JSON) {
  extendSweep(id: $id, scales: $scales, seeds: $seeds, methods: $methods) { id status }
}`;
export const RESUME_SWEEP = `mutation Resume($id: ID!) { resumeSweep(id: $id) { id status } }`;

export const PRESETS = `query Presets { presets { name description quick spec } }`;

export const ESTIMATE = `query Estimate($spec: JSON!) { estimate(spec: $spec) { runs models modelsTrained trainExamples samplingEvals seconds basis } }`;

export const LAUNCH_SWEEP = `mutation LaunchSweep($spec: JSON!, $name: String) { launchSweep(spec: $spec, name: $name) { id } }`;

export const LAUNCH_PRESET = `mutation LaunchPreset($name: String!, $overrides: JSON, $quick: Boolean) {
  launchPreset(name: $name, overrides: $overrides, quick: $quick) { id }
}`;

export const CANCEL_SWEEP = `mutation Cancel($id: ID!) { cancelSweep(id: $id) { id status } }`;
export const RETRY_FAILED = `mutation Retry($id: ID!) { retryFailed(id: $id) { id status } }`;
export const DELETE_SWEEP = `mutation Delete($id: ID!) { deleteSweep(id: $id) }`;
export const RESCORE_SWEEP = `mutation Rescore($id: ID!, $evaluator: JSON) { rescoreSweep(id: $id, evaluator: $evaluator) { id } }`;

export const SAMPLES = `query Samples($runId: ID!, $class: Int, $offset: Int, $limit: Int, $evaluator: String) {
  samples(runId: $runId, class: $class, offset: $offset, limit: $limit, evaluatorHash: $evaluator) {
    total offset classNames evaluatorHash
    items { index label className predicted confidence imageUrl point }
  }
}`;

/** The API's limit on sweeps in one tradeoff(sweepIds). */
export const MAX_COMPARED = 8;

const COMPARED_SWEEP = `id name status
  runs { id guidance method methodLabel pUncond scale w seed status phase progress grid { url rows cols cellSize classNames } }`;

/**
 * Several sweeps side by side: their curves on one chart (tradeoff(sweepIds)) and each sweep's runs
 * for the sample rows, one aliased sweep(id) per id (s0, s1, …) since their number varies.
 */
export function compareQuery(count: number): string {
  const vars = Array.from({ length: count }, (_, i) => `$id${i}: ID!`).join(', ');
  const sweeps = Array.from({ length: count }, (_, i) => `s${i}: sweep(id: $id${i}) { ${COMPARED_SWEEP} }`).join('\n  ');
  return `query Compare($ids: [ID!]!, ${vars}) {
  tradeoff(sweepIds: $ids) { ${TRADEOFF_FIELDS} }
  ${sweeps}
}`;
}

export const compareVariables = (ids: string[]) => ({ ids, ...Object.fromEntries(ids.map((id, i) => [`id${i}`, id])) });
