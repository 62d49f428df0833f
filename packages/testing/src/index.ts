export * from './stub';
export * from './browser';
