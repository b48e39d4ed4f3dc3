export { PrismaClient, Prisma } from '../generated/client';
export type { JobStatus, ModelKind, Sweep, Model, SweepModel, Run, Metric, SampleGrid, Worker, RunSamples, SamplePredictions, Rescore, RunEvaluation } from '../generated/client';
export { packSamples, unpackSamples, packPredictions, unpackPredictions } from './samples';
export type { SamplesRow, Predictions } from './samples';
export { createPrisma, createPool } from './client';
export type { PrismaOptions } from './client';
export { migrate, MIGRATIONS_DIR } from './migrate';
export { startEmbeddedPostgres, freePort, DEFAULT_DATA_DIR, DEFAULT_PORT } from './embedded';
export type { EmbeddedDatabase, EmbeddedOptions } from './embedded';
export { resolveDatabase } from './resolve';
export { envInt, intSetting } from './env';
export { readLiveness, DEFAULT_HEARTBEAT_MS, DEFAULT_STALE_MS } from './liveness';
export type { Liveness } from './liveness';
export type { ResolvedDatabase } from './resolve';
export {
  TASK_TRAIN,
  TASK_SAMPLE,
  TASK_RESCORE,
  JOB_MAX_ATTEMPTS,
  ACTIVE,
  trainJobKey,
  runJobKey,
  rescoreJobKey,
  scheduleReadyWork,
  removeJobs,
  refreshSweepStatus,
} from './jobs';
export type { AddJobFn, JobSpec, TrainPayload, SamplePayload, RescorePayload } from './jobs';
export { startTestDatabase } from './testing';
export type { TestDatabase } from './testing';
