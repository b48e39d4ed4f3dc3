/** The API's own HTTP paths, so resolvers and routes agree on them. */
export const gridPath = (runId: string) => `/grids/${runId}.png`;
export const resultsPath = (sweepId: string, format: 'csv' | 'json') => `/sweeps/${sweepId}/results.${format}`;
