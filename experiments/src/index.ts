export * from './spec';
export * from './grid';
