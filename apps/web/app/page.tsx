import { Suspense } from 'react';
import { SweepList } from '../components/SweepList';

export default function Home() {
  return (
    <Suspense fallback={<p className="muted" role="status">Loading sweeps…</p>}>
      <SweepList />
    </Suspense>
  );
}
