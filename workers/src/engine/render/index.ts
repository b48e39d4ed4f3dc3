export { imageGrid } from './imageGrid';
export { scatterGrid, type ScatterOptions } from './scatterGrid';
