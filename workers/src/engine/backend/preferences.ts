/** The backend choices, apart from the backends themselves: a process that only checks a choice loads no tfjs. */
export const BACKEND_PREFERENCES = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendPreference = (typeof BACKEND_PREFERENCES)[number];
