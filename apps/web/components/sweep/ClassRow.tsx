'use client';
/** One class row of a run's sample grid, cropped on the client (lib/crop.ts). */
import { apiHref } from '../../lib/api';
import { classRowCrop } from '../../lib/crop';
import type { SampleGrid } from '../../lib/types';
import { useApi } from '../ApiProvider';

export function ClassRow({ grid, row, cell, samples, alt }: { grid: SampleGrid; row: number; cell: number; samples: number; alt: string }) {
  const { config } = useApi();
  const crop = classRowCrop(grid, row, cell, Math.min(samples, grid.cols));
  return (
    <span className="crop-box" style={{ display: 'block', position: 'relative', overflow: 'hidden', width: crop.width, height: crop.height }}>
      <img
        className="sample-grid"
        src={apiHref(config, grid.url)}
        alt={alt}
        width={crop.imageWidth}
        height={crop.imageHeight}
        style={{ position: 'absolute', left: 0, top: crop.offsetY, maxWidth: 'none', imageRendering: 'pixelated' }}
      />
    </span>
  );
}
