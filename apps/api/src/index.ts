export { createApiServer } from './server';
export { MAX_QUERY_DEPTH } from './queryLimits';
export type { ApiServer, ApiServerOptions } from './server';
export { buildTradeoff } from './tradeoff';
export type { TradeoffSeries, TradeoffPoint, TradeoffRun } from './tradeoff';
