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

/** $evaluator: the evaluator hash whose scores to show (null: each run's own). */
export const SWEEP = `query Sweep($id: ID!, $evaluator: String) {
  sweep(id: $id) {
    ${SWEEP_SUMMARY}
    spec resultsCsvUrl resultsJsonUrl
    runs {
      id guidance method methodLabel pUncond scale w seed sampler steps eta samplesPerClass status attempts error phase progress n backend durationMs
      metrics(evaluatorHash: $evaluator) { fid is isStd kid kidStd precision recall adherence }
      grid { url rows cols cellSize classNames }
      samplesNpzUrl samplesZipUrl
    }
    models { id key kind config status attempts error step totalSteps progress curve backend }
    evaluators { hash own runsScored }
    rescores { status }
    tradeoff(evaluatorHash: $evaluator) {
      guidance method methodParams pUncond label
      points { scale w seeds runIds fid is isStd kid precision recall adherence gridUrl }
    }
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
