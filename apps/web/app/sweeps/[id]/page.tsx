import { Suspense } from 'react';
import { SweepPage } from '../../../components/sweep/SweepPage';

export default async function Sweep({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <Suspense>
      <SweepPage id={id} />
    </Suspense>
  );
}
