import { Suspense } from 'react';
import { ComparePage } from '../../components/compare/ComparePage';

export default function Compare() {
  return (
    <Suspense>
      <ComparePage />
    </Suspense>
  );
}
