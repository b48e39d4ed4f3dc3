export { adherence } from './adherence';
export { frechetDistance, frechetFromStats, gaussianStats, type GaussianStats } from './fid';
export { inceptionScore } from './inceptionScore';
export { kernelInceptionDistance, polynomialKernel, type KidOptions } from './kid';
export { fromArrays, type RowMatrix, type Rows } from './linalg';
export { densityCoverage } from './densityCoverage';
export { manifoldRadii, manifoldRadiiAt, precisionRecall } from './precisionRecall';
