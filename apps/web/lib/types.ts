/** The API's shapes as the dashboard queries them (apps/api/src/schema.graphql). */
import type { MethodParams } from '@guidance-lab/experiments/methods';
import type { SweepSpec, SweepSpecInput } from '@guidance-lab/experiments/spec';

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface Preset {
  name: string;
  description: string;
  quick: boolean;
  spec: SweepSpecInput;
}

export interface RunCounts {
  total: number;
  queued: number;
  running: number;
  succeeded: number;
  failed: number;
  cancelled: number;
}

export interface SweepSummary {
  id: string;
  name: string;
  preset: string | null;
  status: JobStatus;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  progress: number;
  counts: RunCounts;
}

export interface Metrics {
  fid: number | null;
  is: number | null;
  isStd: number | null;
  kid: number | null;
  kidStd: number | null;
  precision: number | null;
  recall: number | null;
  density: number | null;
  coverage: number | null;
  adherence: number | null;
}

export interface SampleGrid {
  url: string;
  rows: number;
  cols: number;
  cellSize: number;
  classNames: string[];
}

export interface Run {
  id: string;
  guidance: string;
  method: string;
  /** The method and the parameters that differ from its defaults, e.g. "classifier-free interval=[0.28,1.61]". */
  methodLabel: string;
  pUncond: number;
  scale: number;
  w: number;
  seed: number;
  sampler: string;
  steps: number;
  eta: number;
  samplesPerClass: number;
  status: JobStatus;
  attempts: number;
  /** Its job in the worker queue: this job's attempts and the attempts allowed (null once done). */
  job: QueueJob | null;
  error: string | null;
  phase: string;
  progress: number;
  n: number | null;
  backend: string | null;
  durationMs: number | null;
  metrics: Metrics;
  /** Held-out real data scored like this run at its N: the best any model can score. */
  floor: Metrics | null;
  evaluatorAccuracy: number | null;
  evaluatorReliable: boolean | null;
  grid: SampleGrid | null;
  /** Every sample as .npz / as a zip of PNGs (images only), once sampled. */
  samplesNpzUrl: string | null;
  samplesZipUrl: string | null;
}

/** A job in the worker queue; Retry failed queues a fresh one, so its attempts restart. */
export interface QueueJob {
  attempts: number;
  maxAttempts: number;
}

export interface Model {
  id: string;
  key: string;
  kind: 'eps' | 'noisy_classifier' | 'evaluator';
  config: { pUncond?: number; seed?: number };
  status: JobStatus;
  attempts: number;
  /** Its job in the worker queue: this job's attempts and the attempts allowed (null once done). */
  job: QueueJob | null;
  error: string | null;
  step: number;
  totalSteps: number;
  progress: number;
  curve: { step: number; loss: number }[];
  backend: string | null;
  startedAt: string | null;
}

export interface TradeoffPointApi extends Omit<Metrics, 'kidStd'> {
  scale: number;
  w: number;
  seeds: number;
  /** Sample std of each metric over the seeds; null below 2 seeds. */
  std: Omit<Metrics, 'kidStd'>;
  runIds: string[];
  gridUrl: string | null;
}

export interface TradeoffSeriesApi {
  /** The sweep it belongs to (several sweeps share one chart on the comparison page). */
  sweepId: string;
  sweepName: string;
  guidance: string;
  method: string;
  methodParams: MethodParams;
  pUncond: number;
  label: string;
  points: TradeoffPointApi[];
}

export interface SweepDetail extends SweepSummary {
  spec: SweepSpec;
  runs: Run[];
  models: Model[];
  resultsCsvUrl: string;
  resultsJsonUrl: string;
  evaluators: SweepEvaluator[];
  rescores: { status: JobStatus }[];
}

export interface SweepEvaluator {
  hash: string;
  own: boolean;
  runsScored: number;
}

export interface SampleItem {
  index: number;
  label: number;
  className: string;
  predicted: number | null;
  confidence: number | null;
  imageUrl: string | null;
  point: number[] | null;
}

export interface SamplePage {
  total: number;
  offset: number;
  classNames: string[];
  evaluatorHash: string | null;
  items: SampleItem[];
}

export interface Worker {
  id: string;
  host: string;
  backend: string;
  alive: boolean;
  currentJob: string | null;
  lastHeartbeat: string;
}

/** The API's estimate of a sweep before launch (Query.estimate). */
export interface Estimate {
  runs: number;
  models: number;
  modelsTrained: number;
  trainExamples: number;
  samplingEvals: number;
  seconds: number;
  basis: string;
}
