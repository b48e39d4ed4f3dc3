export * from './spec';
export * from './grid';
export * from './merge';
export * from './presets';
export * from './results';
export * from './dataRoot';
export * from './budget';
