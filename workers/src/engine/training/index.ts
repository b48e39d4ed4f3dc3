export { trainEpsNet, type TrainEpsNetOptions } from './trainEpsNet';
export { trainClassifier, type TrainClassifierOptions } from './trainClassifier';
export type { TrainHooks, TrainResult } from './loop';
