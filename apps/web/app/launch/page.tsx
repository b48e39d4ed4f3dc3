import { Suspense } from 'react';
import { LaunchPage } from '../../components/launch/LaunchPage';

export default function Launch() {
  return (
    <Suspense>
      <LaunchPage />
    </Suspense>
  );
}
