/** The API's own HTTP paths, so resolvers and routes agree on them. */
export const gridPath = (runId: string) => `/grids/${runId}.png`;
export const resultsPath = (sweepId: string, format: 'csv' | 'json') => `/sweeps/${sweepId}/results.${format}`;
export const samplesPath = (runId: string, format: 'npz' | 'zip') => `/runs/${runId}/samples.${format}`;
export const samplePngPath = (runId: string, index: number) => `/runs/${runId}/samples/${index}.png`;
