/** One entry point for every dataset a sweep can name (DatasetSpec in experiments/src/spec.ts). */
import type { DatasetSpec } from '@guidance-lab/experiments';
import type { DataRoot } from '@guidance-lab/experiments/dataRoot';
import type { DatasetSplit } from '../types';
import { loadFolder } from './folder';
import { loadIdx } from './idx';
import { loadMnist } from './mnist';
import { makeToy2d } from './toy2d';

/** `root` is where idx and folder paths resolve; without one those kinds cannot load. */
export function loadDataset(spec: DatasetSpec, root?: DataRoot): DatasetSplit {
  switch (spec.kind) {
    case 'toy2d':
      return makeToy2d(spec);
    case 'mnist':
      return loadMnist(spec);
    case 'idx':
      return loadIdx(spec, needRoot(root));
    case 'folder':
      return loadFolder(spec, needRoot(root));
  }
}

function needRoot(root: DataRoot | undefined): DataRoot {
  if (!root) throw new Error('idx and folder datasets need a data root (GUIDANCE_DATA_DIR) from the caller');
  return root;
}

export { loadFolder, readImageFolder } from './folder';
export { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, loadIdx, readIdx, readIdxDataset } from './idx';
export { loadMnist, mnistDigits } from './mnist';
export { type HoldOut, selectRows, splitDataset, stratifiedSplit } from './split';
