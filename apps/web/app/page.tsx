import { Suspense } from 'react';
import { SweepList } from '../components/SweepList';

export default function Home() {
  return (
    <Suspense>
      <SweepList />
    </Suspense>
  );
}
