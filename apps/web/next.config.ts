import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';

const repoRoot = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');

const config: NextConfig = {
  // The sweep spec and grid expansion are TypeScript sources in the experiments workspace.
  transpilePackages: ['@guidance-lab/experiments'],
  // node_modules are hoisted to the workspace root.
  turbopack: { root: repoRoot },
  reactStrictMode: true,
  poweredByHeader: false,
};

export default config;
