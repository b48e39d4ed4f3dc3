export { createApiServer, MAX_QUERY_DEPTH } from './server';
export type { ApiServer, ApiServerOptions } from './server';
export { buildTradeoff } from './tradeoff';
export type { TradeoffSeries, TradeoffPoint, TradeoffRun } from './tradeoff';
