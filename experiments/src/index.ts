export * from './spec';
export * from './grid';
export * from './merge';
export * from './presets';
export * from './results';
export * from './npy';
export * from './samples';
