import { Suspense } from 'react';
import { SweepPage } from '../../../components/sweep/SweepPage';
import { gql } from '../../../lib/api';
import { TRADEOFF } from '../../../lib/queries';
import type { TradeoffSeriesApi } from '../../../lib/types';
import { apiUrls } from '../../apiUrls';

/** Longest the page waits for the trade-off before leaving it to the browser. */
const PREFETCH_MS = 800;

/**
 * The trade-off fetched here, so the chart is drawn as the page hydrates instead of after one more
 * round trip. Its URLs name the API as this server reached it, so they are rebased to the browser's
 * API origin. Any failure (API down, reads needing the token the browser keeps) leaves it to the browser.
 */
async function prefetchTradeoff(id: string, evaluator: string | null): Promise<TradeoffSeriesApi[] | null> {
  const { server, browser } = await apiUrls();
  try {
    const { tradeoff } = await gql<{ tradeoff: TradeoffSeriesApi[] }>({ url: server, token: null }, TRADEOFF, { id, evaluator }, AbortSignal.timeout(PREFETCH_MS));
    return JSON.parse(JSON.stringify(tradeoff).replaceAll(new URL(server).origin, new URL(browser).origin)) as TradeoffSeriesApi[];
  } catch {
    return null;
  }
}

export default async function Sweep({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { id } = await params;
  const ev = (await searchParams).ev;
  const tradeoff = await prefetchTradeoff(id, typeof ev === 'string' ? ev : null);
  return (
    <Suspense fallback={<p className="muted" role="status">Loading the sweep…</p>}>
      <SweepPage id={id} initialTradeoff={tradeoff} />
    </Suspense>
  );
}
