import { defineConfig } from 'vitest/config';

// One run covers every package; the browser test lives in test/ and starts its own stack.
export default defineConfig({
  test: {
    include: ['experiments/**/*.test.ts', 'workers/**/*.test.ts', 'prisma/**/*.test.ts', 'apps/api/**/*.test.ts', 'apps/web/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/.next/**'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
  },
});
