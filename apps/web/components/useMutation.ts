'use client';
/** A GraphQL mutation behind a button: busy while it runs, its error kept for ApiErrorNotice. */
import { useState } from 'react';
import { gql } from '../lib/api';
import { useApi } from './ApiProvider';

export function useMutation() {
  const { config } = useApi();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const run = async (query: string, variables: Record<string, unknown>, after: () => void) => {
    setBusy(true);
    setError(null);
    try {
      await gql(config, query, variables);
      after();
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}
