/** The engine's version (workers/package.json), recorded with results; apart from the pipeline, so reading it loads no tfjs. */
import { readFileSync } from 'node:fs';

export const ENGINE_VERSION: string = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;
