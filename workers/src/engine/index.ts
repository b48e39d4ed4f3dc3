/**
 * The engine's public API: independent parts with narrow interfaces (types.ts) — data, networks,
 * noise schedules, samplers, guidance rules, training, checkpoints, metrics and rendering — and the
 * pipeline that joins them into a sweep's two jobs. Nothing here knows about databases or HTTP.
 */
export * from './types';
export { activeBackend, BACKEND_PREFERENCES, initBackend, type BackendPreference } from './backend/index';
export * from './data/index';
export * from './data/toy2d';
export * from './schedules/index';
export * from './samplers/index';
export * from './guidance/index';
export * from './networks/index';
export * from './training/index';
export * from './checkpoint';
export * from './metrics/index';
export * from './render/index';
export { datasetFor, ENGINE_VERSION, GRID_COLUMNS, sampleAndScore, trainModel, type RunModels, type RunResult, type RunSettings, type SampleGridImage, type TrainOptions } from './pipeline';
