import { Suspense } from 'react';
import { SweepPage } from '../../../components/sweep/SweepPage';

export default async function Sweep({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <Suspense fallback={<p className="muted" role="status">Loading the sweep…</p>}>
      <SweepPage id={id} />
    </Suspense>
  );
}
