/** One entry point for every dataset a sweep can name (DatasetSpec in experiments/src/spec.ts). */
import type { DatasetSpec } from '@guidance-lab/experiments';
import type { DatasetSplit } from '../types';
import { loadFolder } from './folder';
import { loadIdx } from './idx';
import { loadMnist } from './mnist';
import { makeToy2d } from './toy2d';

export function loadDataset(spec: DatasetSpec): DatasetSplit {
  switch (spec.kind) {
    case 'toy2d':
      return makeToy2d(spec);
    case 'mnist':
      return loadMnist(spec);
    case 'idx':
      return loadIdx(spec);
    case 'folder':
      return loadFolder(spec);
  }
}

export { loadFolder, readImageFolder } from './folder';
export { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, loadIdx, readIdx, readIdxDataset } from './idx';
export { loadMnist, mnistDigits } from './mnist';
export { type HoldOut, selectRows, splitDataset, stratifiedSplit } from './split';
