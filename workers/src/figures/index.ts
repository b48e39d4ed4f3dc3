/**
 * The figures `npm run sweep` writes next to results.json: tradeoff.svg / .png (FID vs IS),
 * metrics.svg (every metric against s) and samples-class-<k>.png for every class.
 */
import { join } from 'node:path';
import type { ResultsFile } from '@guidance-lab/experiments';
import { metricsSpec } from './metricsChart';
import { svgToPng, vegaLiteToSvg } from './render';
import { sampleStripPng, type StripRun } from './sampleStrips';
import { tradeoffSpec } from './tradeoff';

export type { StripRun } from './sampleStrips';

/** Writes every figure into `out` with `write` (the CLI's atomic writer); returns the file names. */
export async function writeFigures(out: string, results: ResultsFile, strips: StripRun[], classNames: string[], write: (path: string, bytes: Uint8Array | string) => void): Promise<string[]> {
  const tradeoff = await vegaLiteToSvg(tradeoffSpec(results));
  const files: [string, Uint8Array | string][] = [
    ['tradeoff.svg', tradeoff],
    ['tradeoff.png', svgToPng(tradeoff)],
    ['metrics.svg', await vegaLiteToSvg(metricsSpec(results))],
  ];
  for (const [k, name] of classNames.entries()) files.push([`samples-class-${k}.png`, await sampleStripPng(strips, k, name)]);
  for (const [name, bytes] of files) write(join(out, name), bytes);
  return files.map(([name]) => name);
}
