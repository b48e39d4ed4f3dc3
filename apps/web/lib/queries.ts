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
const TRADEOFF_SERIES = `sweepId sweepName guidance method methodParams pUncond label
  points { scale w seeds runIds ${POINT_FIELDS} std { ${POINT_FIELDS} } gridUrl }`;

/** $evaluator: the evaluator hash whose scores to show (null: each run's own). */
export const SWEEP = `query Sweep($id: ID!, $evaluator: String) {
  sweep(id: $id) {
    ${SWEEP_SUMMARY}
    spec resultsCsvUrl resultsJsonUrl
    runs {
      id guidance method methodLabel pUncond scale w seed sampler steps eta samplesPerClass status attempts error phase progress n backend durationMs
      metrics(evaluatorHash: $evaluator) { ${METRIC_FIELDS} }
      floor(evaluatorHash: $evaluator) { ${METRIC_FIELDS} }
      evaluatorAccuracy(evaluatorHash: $evaluator) evaluatorReliable(evaluatorHash: $evaluator)
      grid { url rows cols cellSize classNames }
      samplesNpzUrl samplesZipUrl
    }
    models { id key kind config status attempts error step totalSteps progress curve backend startedAt }
    evaluators { hash own runsScored }
    rescores { status }
    tradeoff(evaluatorHash: $evaluator) { ${TRADEOFF_SERIES} }
  }
}`;

export const PRESETS = `query Presets { presets { name description quick spec } }`;

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
  tradeoff(sweepIds: $ids) { ${TRADEOFF_SERIES} }
  ${sweeps}
}`;
}

export const compareVariables = (ids: string[]) => ({ ids, ...Object.fromEntries(ids.map((id, i) => [`id${i}`, id])) });
