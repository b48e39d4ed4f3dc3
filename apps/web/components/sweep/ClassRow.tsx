'use client';
/** One class's samples from a run's sample grid, side by side, each cell cropped on the client (lib/crop.ts). */
import { apiHref } from '../../lib/api';
import { cellCrop } from '../../lib/crop';
import type { SampleGrid } from '../../lib/types';
import { useApi } from '../ApiProvider';

export function ClassRow({ grid, cls, cell, samples, alt }: { grid: SampleGrid; cls: number; cell: number; samples: number; alt: string }) {
  const { config } = useApi();
  const src = apiHref(config, grid.url);
  return (
    <span className="class-row" role="img" aria-label={alt}>
      {Array.from({ length: Math.min(samples, grid.cols) }, (_, j) => {
        const c = cellCrop(grid, Math.min(cls, grid.rows - 1), j, cell);
        return (
          <span key={j} className="cell" style={{ width: c.size, height: c.size }}>
            <img className="sample-grid" src={src} alt="" style={{ width: c.imageWidth, height: c.imageHeight, left: c.offsetX, top: c.offsetY }} />
          </span>
        );
      })}
    </span>
  );
}
